#!/usr/bin/env node
// Runs titulaire.mjs (prove starts .t files; the suite itself is an ES module).
import("./titulaire.mjs");
