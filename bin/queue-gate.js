#!/usr/bin/env node
// The `queue-gate` command; the code lives in dist/server/cli.js (built by `npm run build`).
import { runCli } from '../dist/server/cli.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    if (code !== null) process.exitCode = code;
  },
  (error) => {
    console.error('queue-gate: could not start:', error);
    process.exitCode = 1;
  },
);
