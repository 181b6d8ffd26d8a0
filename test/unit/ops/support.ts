/**
 * Shared by the operations tests: the repository's files, the metrics registry as an index of series
 * names and labels, a small PromQL reader (metric names, matchers, grouping labels) and docker compose's
 * variable interpolation.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { createMetrics } from '../../../src/observability/metrics';
import { describeMetrics, seriesNames, type MetricDoc } from '../../../src/observability/metrics-doc';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const repoPath = (...parts: string[]) => path.join(ROOT, ...parts);
export const readText = (...parts: string[]) => fs.readFileSync(repoPath(...parts), 'utf8');
export const readYaml = <T = unknown>(...parts: string[]): T => YAML.parse(readText(...parts), { merge: true }) as T;

/** Labels Prometheus adds to every scraped series. */
export const TARGET_LABELS = ['job', 'instance'];

export interface Series {
  metric: MetricDoc;
  /** Labels a selector of this series can use. */
  labels: string[];
}

/** Every series name the registry exposes (histograms with their suffixes) and its labels. */
export function seriesIndex(): Map<string, Series> {
  const index = new Map<string, Series>();
  for (const metric of describeMetrics(createMetrics({ version: 'test' }).registry)) {
    for (const name of seriesNames(metric)) {
      index.set(name, { metric, labels: [...metric.labels, ...TARGET_LABELS, ...(name.endsWith('_bucket') ? ['le'] : [])] });
    }
  }
  return index;
}

/** Series names of other exporters that an expression may use (Prometheus' own `up`). */
const FOREIGN_SERIES: Record<string, string[]> = { up: TARGET_LABELS };

export interface ExprReport {
  metrics: string[];
  problems: string[];
  /** Labels the result can carry: the grouping labels when the expression aggregates, else the selected series' labels. */
  outputLabels: Set<string>;
}

/**
 * Reads a PromQL expression the way the tests need: which `ponte_` series it selects, whether each
 * exists, whether its label matchers and `by`/`without`/`on`/`ignoring` labels exist on what it selects.
 */
export function checkExpr(expr: string, index: Map<string, Series>): ExprReport {
  const problems: string[] = [];
  const metrics = [...new Set([...expr.matchAll(/\bponte_[A-Za-z0-9_]+\b/g)].map((m) => m[0]))];
  const foreign = Object.keys(FOREIGN_SERIES).filter((name) => new RegExp(`(^|[^A-Za-z0-9_:"])${name}\\s*[{\\[]`).test(expr));
  if (!metrics.length && !foreign.length) problems.push(`selects no ponte_ series: ${expr}`);
  const labels = new Set<string>();
  const labelsOf = (name: string) => index.get(name)?.labels ?? FOREIGN_SERIES[name] ?? [];
  for (const name of metrics) {
    if (!index.has(name)) problems.push(`${name} is not in the metrics registry`);
    for (const l of labelsOf(name)) labels.add(l);
  }
  for (const name of foreign) for (const l of labelsOf(name)) labels.add(l);
  for (const m of expr.matchAll(/\blabel_replace\(.*?,\s*"([A-Za-z_][A-Za-z0-9_]*)"/g)) labels.add(m[1]);

  for (const sel of expr.matchAll(/\b((?:ponte_[A-Za-z0-9_]+)|up)\s*\{([^}]*)\}/g)) {
    for (const matcher of sel[2].matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)\s*"/g)) {
      if (!labelsOf(sel[1]).includes(matcher[1])) problems.push(`${sel[1]} has no label "${matcher[1]}"`);
    }
  }
  const grouping = [...expr.matchAll(/\b(by|without|on|ignoring)\s*\(([^)]*)\)/g)];
  for (const g of grouping) {
    for (const l of g[2]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (!labels.has(l)) problems.push(`"${g[1]} (${l})": no series in the expression has that label`);
    }
  }
  const by = grouping.filter((g) => g[1] === 'by');
  const outputLabels = by.length ? new Set(by.flatMap((g) => g[2].split(',').map((s) => s.trim()))) : labels;
  return { metrics, problems, outputLabels };
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
export function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Anchors of every heading of a markdown file. */
export function headingAnchors(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{1,6}\s+(.+?)\s*$/gm)].map((m) => githubSlug(m[1])));
}

/** `KEY=value` lines of a dotenv file (comments and blank lines skipped). */
export function parseDotenv(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) vars[m[1]] = m[2].trim();
  }
  return vars;
}

const VAR = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** The variables a compose file interpolates (`$$` escapes excluded). */
export function composeVariables(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(VAR)) if (m[0] !== '$$') names.add(m[1] ?? m[4]);
  return names;
}

/** docker compose's interpolation of one string: `${V}`, `${V:-default}`, `${V-default}`, `${V:?error}`, `${V?error}`, `$V`, `$$`. */
export function interpolate(value: string, vars: Record<string, string | undefined>): string {
  return value.replace(
    VAR,
    (whole, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
      if (whole === '$$') return '$';
      const name = (braced ?? bare)!;
      const v = vars[name];
      switch (op) {
        case ':-':
          return v ? v : (arg ?? '');
        case '-':
          return v !== undefined ? v : (arg ?? '');
        case ':?':
          if (!v) throw new Error(`required variable ${name} is missing a value: ${arg}`);
          return v;
        case '?':
          if (v === undefined) throw new Error(`required variable ${name} is missing a value: ${arg}`);
          return v;
        default:
          return v ?? '';
      }
    },
  );
}

/** Interpolates every string of a parsed compose document (keys are left alone, as compose does). */
export function interpolateAll<T>(node: T, vars: Record<string, string | undefined>): T {
  if (typeof node === 'string') return interpolate(node, vars) as T;
  if (Array.isArray(node)) return node.map((n: unknown) => interpolateAll(n, vars)) as T;
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateAll(v, vars)])) as T;
  }
  return node;
}
