#!/usr/bin/env node
// Runs session.mjs (prove starts .t files; the suite itself is an ES module).
import("./session.mjs");
