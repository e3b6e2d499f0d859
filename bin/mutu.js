#!/usr/bin/env node
// The `mutu` command. Runs the TypeScript sources through tsx, so there is nothing to compile.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../lib/cli/main.ts');
await main(process.argv);
