#!/usr/bin/env node
// cel-conformance-dump: writes CEL's conformance cases (from the npm package @bufbuild/cel-spec,
// pinned in package-lock.json) as one JSON array for tests/conformance/cel_conformance.c.
// Usage: node scripts/cel-conformance-dump.js OUT.json
// Each case: {"name": "suite/section/test", "expr", "container"?, "disable_check"?,
// "bindings"?, "type_env"?, "value"? | "error"? | "eval_error"? | "any_eval_errors"? ...}:
// the test's `original` fields as the package gives them (protobuf JSON), with a path name.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..", "node_modules", "@bufbuild", "cel-spec");
const { tests } = require(path.join(root, "dist", "cjs", "testdata", "conformance.js"));

const out = [];
function walk(suite, prefix) {
    const name = prefix ? `${prefix}/${suite.name}` : suite.name;
    for (const t of suite.tests || []) {
        const o = t.original || t;
        out.push(Object.assign({}, o, { name: `${name}/${o.name}` }));
    }
    for (const s of suite.suites || []) walk(s, name);
}
for (const s of tests.suites) walk(s, "");

const file = process.argv[2];
if (!file) {
    process.stderr.write("usage: cel-conformance-dump.js OUT.json\n");
    process.exit(2);
}
fs.writeFileSync(file, JSON.stringify(out, null, 1));
process.stderr.write(`cel-conformance-dump: ${out.length} cases\n`);
