#!/usr/bin/env node
// Runs soiree.mjs (prove starts .t files; the suite itself is an ES module).
import("./soiree.mjs");
