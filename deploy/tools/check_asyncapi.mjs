// Validate an AsyncAPI document with @asyncapi/parser, offline.
//   node deploy/tools/check_asyncapi.mjs docs/events/asyncapi.yaml
// Exit 0 when the document parses with no error, 1 otherwise; every
// diagnostic is printed. References must be relative files: the check never
// fetches anything over the network.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const { Parser, fromFile } = require("@asyncapi/parser");

const ERROR = 0;
const SEVERITY = ["error", "warning", "info", "hint"];

function remoteRefs(file, seen = new Set()) {
  // Every $ref of the document and of the files it references, recursively.
  if (seen.has(file) || !existsSync(file)) return [];
  seen.add(file);
  const text = readFileSync(file, "utf8");
  const found = [];
  for (const match of text.matchAll(/\$ref['"]?\s*:\s*['"]?([^'"\s,}]+)/g)) {
    const ref = match[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) {
      found.push(`${file}: ${ref}`);
    } else if (!ref.startsWith("#")) {
      const target = path.resolve(path.dirname(file), ref.split("#")[0]);
      found.push(...remoteRefs(target, seen));
    }
  }
  return found;
}

async function main(file) {
  const remote = remoteRefs(path.resolve(file));
  if (remote.length) {
    for (const ref of remote) console.error(`remote reference refused: ${ref}`);
    return 1;
  }
  const parser = new Parser();
  const { document, diagnostics } = await fromFile(parser, file).parse();
  for (const d of diagnostics) {
    const where = (d.path || []).join(".");
    console.error(`${SEVERITY[d.severity]} ${d.code} at ${where}: ${d.message}`);
  }
  const errors = diagnostics.filter((d) => d.severity === ERROR);
  if (!document || errors.length) {
    console.error(`${file}: ${errors.length} error(s)`);
    return 1;
  }
  const channels = document.channels().length;
  const operations = document.operations().length;
  console.log(`${file}: valid AsyncAPI ${document.version()}, ` +
    `${channels} channels, ${operations} operations`);
  return 0;
}

if (process.argv.length !== 3) {
  console.error("usage: node check_asyncapi.mjs <asyncapi document>");
  process.exit(2);
}
main(process.argv[2]).then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(1);
});
