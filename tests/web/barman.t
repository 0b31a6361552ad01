#!/usr/bin/env node
// Runs barman.mjs (prove starts .t files; the suite itself is an ES module).
import("./barman.mjs");
