#!/usr/bin/env node
// Runs caisse.mjs (prove starts .t files; the suite itself is an ES module).
import("./caisse.mjs");
