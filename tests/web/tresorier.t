#!/usr/bin/env node
// Runs tresorier.mjs (prove starts .t files; the suite itself is an ES module).
import("./tresorier.mjs");
