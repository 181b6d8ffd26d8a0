/**
 * `npm run docs:openapi`: writes docs/openapi.yaml from the operations in src/http/openapi/ (the same
 * document the daemon serves at /openapi.json). `--check` only compares, and exits 1 when the file is stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { OPENAPI_DOC_PATH, renderOpenApiYaml } from '../src/http/openapi/yaml';

// Compiled to dist/scripts/docs-openapi.js: the repository is two levels up.
const root = path.resolve(__dirname, '..', '..');
const file = path.join(root, OPENAPI_DOC_PATH);
const doc = renderOpenApiYaml();
const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;

if (process.argv.includes('--check')) {
  if (current !== doc) {
    process.stderr.write(`${OPENAPI_DOC_PATH} is stale: run npm run docs:openapi\n`);
    process.exit(1);
  }
  process.stdout.write(`${OPENAPI_DOC_PATH} is up to date\n`);
} else if (current === doc) {
  process.stdout.write(`${OPENAPI_DOC_PATH} is up to date\n`);
} else {
  fs.writeFileSync(file, doc);
  process.stdout.write(`wrote ${OPENAPI_DOC_PATH}\n`);
}
