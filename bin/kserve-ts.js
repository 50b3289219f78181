#!/usr/bin/env -S node --max-semi-space-size=4 --initial-old-space-size=64
// Launcher: runs the compiled entry point (`npm run build` writes dist/).
// V8 heap flags (run through `node bin/kserve-ts.js` they are not applied):
// --max-semi-space-size=4 caps V8's young generation at 4 MB per semi-space (Node's default lets it
//   grow to 16 MB): about 25 MB less resident memory per model server, with no measured change in
//   throughput (bench/RESULTS.md).
// --initial-old-space-size=64 lets the old generation grow to 64 MB before V8 starts marking it.
//   The model server's heap is ~10 MB, and V8 sizes its old-generation limit from that, so objects
//   of requests that wait for a busy model (promoted after two scavenges) made it run a full
//   mark-compact every few requests: 71 in 14 s at MNIST batch 1024, c=2, each holding the event
//   loop 4-17 ms (the health probe's tail). With the flag: none in the same run. It is a limit, not
//   a reservation.
import '../dist/bin/kserve-ts.js';
