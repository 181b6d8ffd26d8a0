import fs from 'node:fs';
import { Counter, Registry } from 'prom-client';
import { createMetrics, METRIC_PREFIX } from '../../../src/observability/metrics';
import { describeMetrics, METRICS_DOC_PATH, PONTE_LABELS, renderMetricsDoc, RUNTIME_LABELS } from '../../../src/observability/metrics-doc';
import { repoPath } from './support';

const registry = () => createMetrics({ version: '1.2.3' }).registry;
const all = describeMetrics(registry());
const own = all.filter((m) => !m.runtime);

/** Label names that would carry a value per person, chat or message: unbounded series. */
const UNBOUNDED = /phone|msisdn|jid|chat|contact|conversation|message|msg|user|number|sender|email|^id$|_id$|ids?$|url|path|text|body/i;

describe('metrics catalogue', () => {
  test('every metric is named ponte_ and has real help text', () => {
    expect(own.length).toBeGreaterThanOrEqual(15);
    for (const m of all) {
      expect(m.name.startsWith(METRIC_PREFIX)).toBe(true);
      expect(m.help.trim().length).toBeGreaterThan(15);
      expect(m.help).not.toBe(m.name);
    }
  });

  test('names follow the Prometheus conventions (counters _total, durations in _seconds)', () => {
    for (const m of own) {
      if (m.type === 'counter') expect(m.name).toMatch(/_total$/);
      else expect(m.name).not.toMatch(/_total$/);
      if (m.type === 'histogram') expect(m.name).toMatch(/_seconds$/);
    }
  });

  test('every label of a Ponte metric is a bounded one, documented in PONTE_LABELS', () => {
    for (const m of own) {
      for (const label of m.labels) {
        expect({ metric: m.name, label, documented: label in PONTE_LABELS }).toEqual({ metric: m.name, label, documented: true });
        expect({ metric: m.name, label, unbounded: UNBOUNDED.test(label) }).toEqual({ metric: m.name, label, unbounded: false });
      }
    }
    // The catalogue lists no label nobody uses.
    const used = new Set(own.flatMap((m) => m.labels));
    expect(Object.keys(PONTE_LABELS).filter((l) => !used.has(l))).toEqual([]);
  });

  test('the runtime metrics only carry the labels prom-client documents', () => {
    for (const m of all.filter((x) => x.runtime)) for (const label of m.labels) expect(Object.keys(RUNTIME_LABELS)).toContain(label);
  });

  test('the unbounded-label guard catches what it is for', () => {
    for (const bad of ['phone', 'chat_id', 'message_id', 'jid', 'conversation', 'contact', 'id', 'wa_ids'])
      expect(UNBOUNDED.test(bad)).toBe(true);
    for (const ok of Object.keys(PONTE_LABELS)) expect(UNBOUNDED.test(ok)).toBe(false);
  });
});

describe(`${METRICS_DOC_PATH}`, () => {
  const file = repoPath(METRICS_DOC_PATH);

  test('is up to date with the registry (regenerate with: npm run docs:metrics)', () => {
    const expected = renderMetricsDoc(registry());
    const actual = fs.readFileSync(file, 'utf8');
    if (process.platform === 'linux') {
      expect(actual).toBe(expected);
    } else {
      // prom-client leaves some process metrics out off Linux: compare the part Ponte owns.
      const ponte = (doc: string) => doc.slice(0, doc.indexOf('## Process and Node.js runtime'));
      expect(ponte(actual)).toBe(ponte(expected));
    }
  });

  test('lists every metric with its type, help and labels', () => {
    const doc = fs.readFileSync(file, 'utf8');
    for (const m of all) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${m.name}\` |`));
      expect(row).toBeDefined();
      expect(row).toContain(` ${m.type} `);
      expect(row).toContain(m.help.replace(/\|/g, '\\|'));
      for (const l of m.labels) expect(row).toContain(`\`${l}\``);
    }
  });

  test('the generator sees a metric added to the registry (the staleness check is real)', () => {
    const r: Registry = registry();
    const before = renderMetricsDoc(r);
    new Counter({
      name: 'ponte_new_thing_total',
      help: 'A metric added without regenerating the doc',
      labelNames: ['queue'],
      registers: [r],
    });
    const after = renderMetricsDoc(r);
    expect(after).not.toBe(before);
    expect(after).toContain('| `ponte_new_thing_total` | counter | A metric added without regenerating the doc | `queue` |');
  });
});
