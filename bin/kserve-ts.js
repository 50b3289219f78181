#!/usr/bin/env node
// Launcher: runs the compiled entry point (`npm run build` writes dist/).
import '../dist/bin/kserve-ts.js';
