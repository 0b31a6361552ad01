#!/usr/bin/env node
// Runs ecrans.mjs (prove starts .t files; the suite itself is an ES module).
import("./ecrans.mjs");
