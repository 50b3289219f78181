#!/usr/bin/env -S node --max-semi-space-size=4
// Launcher: runs the compiled entry point (`npm run build` writes dist/).
// --max-semi-space-size=4 caps V8's young generation at 4 MB per semi-space (Node's default lets it
// grow to 16 MB): about 25 MB less resident memory per model server, with no measured change in
// throughput (bench/RESULTS.md). Run through `node bin/kserve-ts.js` the flag is not applied.
import '../dist/bin/kserve-ts.js';
