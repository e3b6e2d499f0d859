#!/usr/bin/env node
// The `mutu` command: Mutu's TypeScript compiled ahead (bin/cli-build.js), each command's code
// loaded only when it runs. Stack traces name the compiled chunks; for the sources, run
// `node --enable-source-maps bin/mutu.js ...` (source maps cost about 100 ms at every start).
import { cliEntry } from './cli-build.js';

const { main } = await import(await cliEntry());
await main(process.argv);
