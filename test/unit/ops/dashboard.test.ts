import { checkExpr, readText, readYaml, seriesIndex } from './support';

interface Target {
  refId: string;
  expr: string;
  legendFormat?: string;
  datasource?: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; datasource?: { uid: string }; query: { query: string } | string }> };
}
interface Compose {
  services: Record<string, { volumes?: string[]; ports?: string[] }>;
}

const DASHBOARD = 'grafana/dashboards/ponte.json';
const dashboard = JSON.parse(readText(DASHBOARD)) as Dashboard;
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const graphs = panels.filter((p) => p.type !== 'row');
const targets = graphs.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p, target: t })));
const index = seriesIndex();

const datasources = readYaml<{ datasources: Array<{ uid: string; type: string; url: string; jsonData?: { timeInterval?: string } }> }>(
  'grafana/provisioning/datasources/prometheus.yml',
).datasources;
const providers = readYaml<{ providers: Array<{ type: string; options: { path: string } }> }>(
  'grafana/provisioning/dashboards/ponte.yml',
).providers;
const compose = readYaml<Compose>('docker-compose.yml');

/** Source -> target of the bind mounts of a compose service. */
function binds(service: string): Map<string, string> {
  return new Map(
    (compose.services[service].volumes ?? [])
      .filter((v) => v.startsWith('./'))
      .map((v) => {
        const [src, dst] = v.split(':');
        return [src.replace(/^\.\//, ''), dst];
      }),
  );
}

describe(`Grafana dashboard (${DASHBOARD})`, () => {
  test('panels have unique ids, titles, and fit the 24-column grid without overlapping', () => {
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const taken = new Map<string, string>();
    const problems: string[] = [];
    for (const p of panels) {
      if (!p.title.trim()) problems.push(`panel ${p.id} has no title`);
      if (p.gridPos.x + p.gridPos.w > 24) problems.push(`${p.title} is wider than the grid`);
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          const cell = `${x},${y}`;
          if (taken.has(cell)) problems.push(`${p.title} overlaps ${taken.get(cell)} at ${cell}`);
          taken.set(cell, p.title);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('every panel queries the provisioned Prometheus datasource', () => {
    const ds = datasources.find((d) => d.type === 'prometheus')!;
    for (const p of graphs) {
      expect({ panel: p.title, uid: p.datasource?.uid }).toEqual({ panel: p.title, uid: ds.uid });
      expect(p.targets?.length).toBeGreaterThan(0);
      const refIds = p.targets!.map((t) => t.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
      for (const t of p.targets!) expect(t.datasource?.uid ?? ds.uid).toBe(ds.uid);
    }
    for (const v of dashboard.templating.list) expect(v.datasource?.uid).toBe(ds.uid);
  });

  test('every metric a panel (or a variable) uses exists in the registry, with the labels it selects and groups by', () => {
    const queries = [
      ...targets.map(({ panel, target }) => ({ where: `${panel.title} ${target.refId}`, expr: target.expr })),
      ...dashboard.templating.list.map((v) => ({
        where: `variable ${v.name}`,
        expr: typeof v.query === 'string' ? v.query : v.query.query,
      })),
    ];
    expect(queries.length).toBeGreaterThan(20);
    const problems = queries.flatMap(({ where, expr }) => checkExpr(expr, index).problems.map((p) => `${where}: ${p}`));
    expect(problems).toEqual([]);
  });

  test("every metric Ponte defines (beyond the library's process and Node.js ones) is charted by a panel", () => {
    const charted = new Set(targets.flatMap(({ target }) => checkExpr(target.expr, index).metrics));
    const own = [...new Set([...index.values()].map((s) => s.metric.name))].filter((n) => !/^ponte_(process|nodejs)_/.test(n));
    const uncharted = own.filter((name) => ![...charted].some((c) => c === name || c.startsWith(`${name}_`)));
    expect(uncharted).toEqual([]);
  });

  test('legends only name labels the query returns', () => {
    const problems: string[] = [];
    for (const { panel, target } of targets) {
      const out = checkExpr(target.expr, index).outputLabels;
      for (const m of (target.legendFormat ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
        if (!out.has(m[1])) problems.push(`${panel.title} ${target.refId}: legend {{${m[1]}}} is not a label of the result`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('has the panels operations asked for', () => {
    const uses = (pattern: RegExp) => targets.filter(({ target }) => pattern.test(target.expr)).map(({ panel }) => panel.title);
    // Sessions by state; messages per minute by direction and kind; relay latency p50/p95/p99; queue depth;
    // DLQ size; Chatwoot call errors; catch-up recoveries; process memory.
    expect(uses(/sum by \(state\) \(ponte_session_state\b/)).not.toEqual([]);
    expect(uses(/sum by \(direction, kind\) \(rate\(ponte_messages_relayed_total\{outcome="ok"/)).not.toEqual([]);
    for (const q of ['0.5', '0.95', '0.99'])
      expect(uses(new RegExp(`histogram_quantile\\(${q.replace('.', '\\.')}, .*ponte_relay_latency_seconds_bucket`))).not.toEqual([]);
    expect(uses(/\bponte_queue_depth\b/)).not.toEqual([]);
    expect(uses(/\bponte_dlq_size\b/)).not.toEqual([]);
    expect(uses(/ponte_chatwoot_requests_total\{status!~"2\.\."/)).not.toEqual([]);
    expect(uses(/\bponte_catchup_recovered_total\b/)).not.toEqual([]);
    expect(uses(/\bponte_process_resident_memory_bytes\b/)).not.toEqual([]);
  });

  test('the metric check catches a panel on a metric that does not exist, or a label it does not have', () => {
    expect(checkExpr('sum by (status) (rate(ponte_whatsapp_unicorns_total[5m]))', index).problems.join('\n')).toMatch(
      /ponte_whatsapp_unicorns_total is not in the metrics registry/,
    );
    expect(checkExpr('sum(ponte_queue_depth{direction="inbound"})', index).problems.join('\n')).toMatch(
      /ponte_queue_depth has no label "direction"/,
    );
    expect(checkExpr('sum by (session) (ponte_queue_depth)', index).problems.join('\n')).toMatch(/by \(session\)/);
    expect(checkExpr('histogram_quantile(0.9, sum by (le) (rate(ponte_relay_latency_seconds_bucket[5m])))', index).problems).toEqual([]);
  });
});

describe('Grafana provisioning', () => {
  test('the datasource points at the compose prometheus service and its scrape interval', () => {
    const ds = datasources.find((d) => d.type === 'prometheus')!;
    const url = new URL(ds.url);
    expect(Object.keys(compose.services)).toContain(url.hostname);
    expect(compose.services[url.hostname].ports?.some((p) => p.endsWith(`:${url.port}`))).toBe(true);
    const prom = readYaml<{ global: { scrape_interval: string } }>('prometheus/prometheus.yml');
    expect(ds.jsonData?.timeInterval).toBe(prom.global.scrape_interval);
  });

  test('docker compose mounts the provisioning and the dashboards where the provider looks', () => {
    const mounts = binds('grafana');
    expect(mounts.get('grafana/provisioning')).toBe('/etc/grafana/provisioning');
    expect(providers).toHaveLength(1);
    expect(providers[0].type).toBe('file');
    expect(mounts.get('grafana/dashboards')).toBe(providers[0].options.path);
  });
});
