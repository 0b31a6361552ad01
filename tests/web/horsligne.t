#!/usr/bin/env node
// Runs horsligne.mjs (prove starts .t files; the suite itself is an ES module).
import("./horsligne.mjs");
