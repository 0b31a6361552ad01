#!/usr/bin/env node
// Runs direct.mjs (prove starts .t files; the suite itself is an ES module).
import("./direct.mjs");
