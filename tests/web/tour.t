#!/usr/bin/env node
// Runs tour.mjs (prove starts .t files; the suite itself is an ES module).
import("./tour.mjs");
