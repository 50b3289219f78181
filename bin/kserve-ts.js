#!/usr/bin/env node
// Thin launcher: runs the compiled composition root (npm run build writes dist/).
import { main } from '../dist/bin/main.js';

main(process.argv.slice(2), process.env).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { console.error(err instanceof Error ? err.message : String(err)); process.exitCode = 1; },
);
