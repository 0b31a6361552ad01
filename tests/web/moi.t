#!/usr/bin/env node
// Runs moi.mjs (prove starts .t files; the suite itself is an ES module).
import("./moi.mjs");
