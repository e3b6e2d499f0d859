// Types of bin/cli-build.js for the TypeScript that imports it (the tests' fixture build).
export function cliEntry(): Promise<string>;
export function bundle(entryPoints: Record<string, string>, outdir: string): Promise<void>;
