import { execFileSync } from 'node:child_process';
import path from 'node:path';
import YAML from 'yaml';
import { checkExpr, headingAnchors, readText, readYaml, seriesIndex } from './support';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts: Array<{ exp_labels: Record<string, string> }>;
}
interface Compose {
  services: Record<string, { build?: { dockerfile: string }; volumes?: string[]; ports?: string[] }>;
}

const rules = readYaml<{ groups: Array<{ name: string; rules: Rule[] }> }>('prometheus/alerts.yml').groups.flatMap((g) => g.rules);
const alerts = rules.filter((r) => r.alert);
const unitTests = readYaml<{ rule_files: string[]; tests: Array<{ alert_rule_test?: AlertTest[] }> }>('prometheus/alerts.test.yml');
const scrape = readYaml<{
  rule_files: string[];
  scrape_configs: Array<{ job_name: string; metrics_path?: string; static_configs: Array<{ targets: string[] }> }>;
}>('prometheus/prometheus.yml');
const compose = readYaml<Compose>('docker-compose.yml');
const readmeAnchors = headingAnchors(readText('README.md'));
const index = seriesIndex();

const RUNBOOK_BASE = 'https://github.com/ponte/ponte#';

/** What the operations issue asks to alert on, by alert name. Registrations failing waits for its metric. */
const REQUIRED: Record<string, string> = {
  PonteSessionNotConnected: 'a session not CONNECTED for 2 minutes',
  PonteRelayErrorRateHigh: 'relay error rate above 5%',
  PonteRelayLatencyHigh: 'relay latency p95 above 30 s',
  PonteQueueBacklogGrowing: 'queue backlog growing for 10 minutes',
  PonteDeadLetters: 'DLQ not empty',
  PonteRedisUnreachable: 'Redis unreachable',
};

describe('alerting rules (prometheus/alerts.yml)', () => {
  test('has every alert operations asked for, each once', () => {
    const names = alerts.map((a) => a.alert!);
    expect(new Set(names).size).toBe(names.length);
    for (const name of Object.keys(REQUIRED)) expect(names).toContain(name);
  });

  test('thresholds and durations are the agreed ones', () => {
    const byName = Object.fromEntries(alerts.map((a) => [a.alert!, a]));
    expect(byName.PonteSessionNotConnected).toMatchObject({ for: '2m' });
    expect(byName.PonteSessionNotConnected.expr).toMatch(/ponte_session_state\{state="CONNECTED"\} == 0/);
    expect(byName.PonteRelayErrorRateHigh.expr).toMatch(/> 0\.05\s*$/);
    expect(byName.PonteRelayLatencyHigh.expr).toMatch(/histogram_quantile\(0\.95,[\s\S]*> 30\s*$/);
    expect(byName.PonteQueueBacklogGrowing).toMatchObject({ for: '10m' });
    expect(byName.PonteDeadLetters.expr).toMatch(/ponte_dlq_size > 0/);
    expect(byName.PonteRedisUnreachable.expr).toMatch(/ponte_redis_up == 0/);
  });

  test('every alert has a severity, a summary, a description and a runbook in the README', () => {
    for (const a of alerts) {
      expect({ alert: a.alert, severity: a.labels?.severity }).toEqual({
        alert: a.alert,
        severity: expect.stringMatching(/^(critical|warning)$/),
      });
      expect(a.annotations?.summary?.trim()).toBeTruthy();
      expect(a.annotations?.description?.trim()).toBeTruthy();
      const url = a.annotations?.runbook_url ?? '';
      expect(url.startsWith(RUNBOOK_BASE)).toBe(true);
      const anchor = url.slice(RUNBOOK_BASE.length);
      expect(anchor).toBe(`runbook-${a.alert!.toLowerCase()}`);
      expect({ alert: a.alert, anchorInReadme: readmeAnchors.has(anchor) }).toEqual({ alert: a.alert, anchorInReadme: true });
    }
  });

  test('every metric an alert uses exists in the registry, with the labels it selects and groups by', () => {
    const problems = rules.flatMap((r) => checkExpr(r.expr, index).problems.map((p) => `${r.alert ?? r.record}: ${p}`));
    expect(problems).toEqual([]);
  });

  test("annotations only use labels the alert's expression returns", () => {
    const problems: string[] = [];
    for (const a of alerts) {
      const out = checkExpr(a.expr, index).outputLabels;
      for (const text of Object.values(a.annotations ?? {})) {
        for (const m of text.matchAll(/\$labels\.(\w+)/g))
          if (!out.has(m[1])) problems.push(`${a.alert}: $labels.${m[1]} is not a label of the result`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('the check catches an alert on a metric that does not exist', () => {
    expect(checkExpr('rate(ponte_registrations_failed_total[5m]) > 0', index).problems).toEqual([
      'ponte_registrations_failed_total is not in the metrics registry',
    ]);
  });
});

describe('promtool unit tests (prometheus/alerts.test.yml)', () => {
  const cases = unitTests.tests.flatMap((t) => t.alert_rule_test ?? []);

  test('load alerts.yml', () => {
    expect(unitTests.rule_files).toEqual(['alerts.yml']);
  });

  test('every alert is shown firing and shown quiet, the session and error-rate alerts among them', () => {
    for (const a of alerts) {
      const mine = cases.filter((c) => c.alertname === a.alert);
      expect({ alert: a.alert, fires: mine.some((c) => c.exp_alerts.length > 0) }).toEqual({ alert: a.alert, fires: true });
      expect({ alert: a.alert, quiet: mine.some((c) => c.exp_alerts.length === 0) }).toEqual({ alert: a.alert, quiet: true });
    }
    expect(cases.filter((c) => c.alertname === 'PonteSessionNotConnected').length).toBeGreaterThanOrEqual(3);
    expect(cases.filter((c) => c.alertname === 'PonteRelayErrorRateHigh').length).toBeGreaterThanOrEqual(3);
  });

  test('expected alerts carry the severity their rule sets', () => {
    const severity = Object.fromEntries(alerts.map((a) => [a.alert!, a.labels!.severity]));
    for (const c of cases) for (const e of c.exp_alerts) expect(e.exp_labels.severity).toBe(severity[c.alertname]);
  });
});

describe('scrape configuration (prometheus/prometheus.yml)', () => {
  test('scrapes the ponte compose service on the port its config listens on', () => {
    const job = scrape.scrape_configs.find((j) => j.job_name === 'ponte');
    expect(job).toBeDefined();
    expect(job!.metrics_path ?? '/metrics').toBe('/metrics');
    const ponteService = Object.entries(compose.services).find(([, s]) => s.build?.dockerfile === 'docker/Dockerfile')![0];
    const port = (YAML.parse(readText('config/ponte.compose.yaml')) as { http: { port: number } }).http.port;
    expect(job!.static_configs.flatMap((s) => s.targets)).toEqual([`${ponteService}:${port}`]);
    // PonteDown watches that job.
    expect(alerts.find((a) => a.alert === 'PonteDown')?.expr).toContain(`up{job="${job!.job_name}"}`);
  });

  test('loads the alert rules from where docker compose mounts them', () => {
    const mounts = (compose.services.prometheus.volumes ?? []).filter((v) => v.startsWith('./')).map((v) => v.split(':'));
    const alertsMount = mounts.find(([src]) => src === './prometheus/alerts.yml');
    expect(alertsMount).toBeDefined();
    expect(scrape.rule_files).toEqual([alertsMount![1]]);
    expect(mounts.find(([src]) => src === './prometheus/prometheus.yml')?.[1]).toBe('/etc/prometheus/prometheus.yml');
  });
});

// Prometheus's own checker over the real files (npm test's setup installs promtool): a rule it cannot
// load, or an alert test that fails, fails here.
describe('promtool', () => {
  const promtool = (...args: string[]) =>
    execFileSync('promtool', args, { cwd: path.resolve(__dirname, '../../..'), encoding: 'utf8', stdio: 'pipe' });

  test('check rules: prometheus/alerts.yml loads', () => {
    expect(promtool('check', 'rules', 'prometheus/alerts.yml')).toMatch(/SUCCESS: \d+ rules found/);
  });

  test('test rules: every case of prometheus/alerts.test.yml passes', () => {
    expect(promtool('test', 'rules', 'prometheus/alerts.test.yml')).toMatch(/SUCCESS/);
  });
});
