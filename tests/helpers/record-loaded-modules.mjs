// Loaded with `node --import`: writes the URL of every module the process resolves to the file
// named by MUTU_TEST_LOADED_MODULES, one per line (tests of what a command loads to start).
import { register } from 'node:module';

register('./record-loaded-modules-hooks.mjs', import.meta.url, { data: { log: process.env.MUTU_TEST_LOADED_MODULES } });
