#!/usr/bin/env node
// Runs qr.mjs (prove starts .t files; the suite itself is an ES module).
import("./qr.mjs");
