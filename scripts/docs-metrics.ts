/**
 * `npm run docs:metrics`: writes prometheus/metrics.md from the metrics registry (src/observability/
 * metrics.ts). `--check` only compares, and exits 1 when the file is stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createMetrics } from '../src/observability/metrics';
import { METRICS_DOC_PATH, renderMetricsDoc } from '../src/observability/metrics-doc';

// Compiled to dist/scripts/docs-metrics.js: the repository is two levels up.
const root = path.resolve(__dirname, '..', '..');
const file = path.join(root, METRICS_DOC_PATH);
const doc = renderMetricsDoc(createMetrics({ version: '0.0.0' }).registry);
const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;

if (process.argv.includes('--check')) {
  if (current !== doc) {
    process.stderr.write(`${METRICS_DOC_PATH} is stale: run npm run docs:metrics\n`);
    process.exit(1);
  }
  process.stdout.write(`${METRICS_DOC_PATH} is up to date\n`);
} else if (current === doc) {
  process.stdout.write(`${METRICS_DOC_PATH} is up to date\n`);
} else {
  fs.writeFileSync(file, doc);
  process.stdout.write(`wrote ${METRICS_DOC_PATH}\n`);
}
