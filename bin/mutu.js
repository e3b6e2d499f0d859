#!/usr/bin/env node
// The `mutu` command: Mutu's TypeScript compiled ahead (bin/cli-build.js), each command's code
// loaded only when it runs. Stack traces name the compiled chunks; for the sources, run
// `node --enable-source-maps bin/mutu.js ...` (source maps cost about 100 ms at every start).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { cliEntry } from './cli-build.js';

// The settings every command and the server share, whatever folder a command runs from: the
// environment first, then `.env` in the working folder, then the `.env` files of Mutu's own
// folder, read as Next reads them for the dashboard (.env.production.local, .env.local,
// .env.production, .env; .env.development* with --dev). None overrides what is already set.
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (fs.existsSync('.env')) process.loadEnvFile('.env');
const requireFromNext = createRequire(createRequire(import.meta.url).resolve('next/package.json'));
requireFromNext('@next/env').loadEnvConfig(projectRoot, process.argv.includes('--dev'), { info: () => {}, error: console.error });

const { main } = await import(await cliEntry());
await main(process.argv);
