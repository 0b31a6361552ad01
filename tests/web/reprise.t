#!/usr/bin/env node
// Runs reprise.mjs (prove starts .t files; the suite itself is an ES module).
import("./reprise.mjs");
