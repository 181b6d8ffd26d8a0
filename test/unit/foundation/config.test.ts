import path from 'node:path';
import YAML from 'yaml';
import { ConfigError } from '../../../src/config/errors';
import { configExample } from '../../../src/config/example';
import { loadConfig, validate } from '../../../src/config/load';
import { removeTempDirs, tempDir, writeFile } from '../../helpers';

const dir = tempDir('ponte-config-');
afterAll(removeTempDirs);
let n = 0;
function file(yaml: string): string {
  return writeFile(dir, `c${++n}.yaml`, yaml);
}

const GOOD = `
http:
  adminToken: a-real-admin-token
sessions:
  - id: main
    engine: simulator
`;

/** The problems of a config that must not load (fails the test when it loads). */
function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError, but the configuration loaded');
}

const load = (yaml: string, env: NodeJS.ProcessEnv = {}) => loadConfig({ path: file(yaml), env });

describe('configuration file', () => {
  test('a minimal file loads with the documented defaults', () => {
    const cfg = load(GOOD);
    expect(cfg.http).toMatchObject({ port: 8080, host: '0.0.0.0', adminToken: 'a-real-admin-token' });
    expect(cfg.redis).toMatchObject({ url: 'embedded', dataDir: path.resolve('data/redis'), binary: 'redis-server', keyPrefix: 'ponte:' });
    // Everything on disk under one data root, data/ from where the daemon starts.
    expect([cfg.dataDir, cfg.sessionStore.dir, cfg.media.dir]).toEqual([
      path.resolve('data'),
      path.resolve('data/sessions'),
      path.resolve('data/media'),
    ]);
    expect(cfg.log).toMatchObject({ level: 'info', pretty: false });
    expect(cfg.sessions[0].simulator).toMatchObject({ requireQr: false, pairAfterMs: 0, ackIntervalMs: 300 });
    expect(cfg.shutdownTimeoutMs).toBe(10000);
  });

  test('every problem is listed at once, each with its key path', () => {
    const problems = problemsOf(() =>
      load(`
http:
  port: "abc"
  adminToken: a-real-admin-token
redis:
  url: foo
log:
  level: loud
  pretty: "yes"
sessions:
  - id: main
    engine: simulator
    simulator:
      pairAfterMs: "x"
      qrRotateMs: -5
shutdownTimeoutMs: 1.5
`),
    );
    const byPath = (p: string) => problems.filter((line) => line.startsWith(`${p}:`));
    expect(byPath('http.port')[0]).toContain('got "abc"');
    expect(byPath('http.port')[0]).toContain('expected a whole number from 0 to 65535');
    expect(byPath('redis.url')[0]).toMatch(/got "foo".*"embedded" or a URL/);
    expect(byPath('log.level')[0]).toContain('got "loud"');
    expect(byPath('log.pretty')[0]).toContain('got "yes"');
    expect(byPath('sessions[0].simulator.pairAfterMs')[0]).toContain('expected a number of milliseconds');
    expect(byPath('sessions[0].simulator.qrRotateMs')).toHaveLength(1);
    expect(byPath('shutdownTimeoutMs')).toHaveLength(1);
    expect(problems).toHaveLength(7);
  });

  test('the error message itself lists each problem on its own line', () => {
    try {
      load('http:\n  port: 70000\n  adminToken: ""\n');
      throw new Error('loaded');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const lines = (err as Error).message.split('\n');
      expect(lines[0]).toContain('invalid configuration');
      expect(lines.filter((l) => l.startsWith('  - '))).toHaveLength(2);
      expect((err as Error).message).toMatch(/- http\.port: got 70000/);
    }
  });

  test('port out of range and fractional ports are refused', () => {
    expect(problemsOf(() => load(GOOD.replace('http:', 'http:\n  port: 65536')))[0]).toMatch(/^http\.port: got 65536/);
    expect(problemsOf(() => load(GOOD.replace('http:', 'http:\n  port: 80.5')))[0]).toMatch(/^http\.port: got 80\.5/);
  });

  test('unknown keys are named at every level', () => {
    const problems = problemsOf(() =>
      load(`
bogus: 1
http:
  adminToken: a-real-admin-token
  prot: 9000
sessions:
  - id: main
    engine: simulator
    simulatr: {}
`),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^bogus: unknown key/),
        expect.stringMatching(/^http\.prot: unknown key/),
        expect.stringMatching(/^sessions\[0\]\.simulatr: unknown key/),
      ]),
    );
    expect(problems).toHaveLength(3);
  });

  test.each([
    ['changeme', 'placeholder'],
    ['CHANGEME', 'placeholder'],
    ['change-me', 'placeholder'],
    ['  secret ', 'placeholder'],
    ['""', 'is empty'],
    ['"   "', 'is empty'],
  ])('admin token %s is refused (%s)', (value, why) => {
    const problems = problemsOf(() => load(`http:\n  adminToken: ${value}\n`));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^http\.adminToken: /);
    expect(problems[0]).toContain(why);
  });

  test('a wrong secret is never echoed back in the error', () => {
    const problems = problemsOf(() => load('http:\n  adminToken: 918273645\n'));
    expect(problems[0]).toMatch(/^http\.adminToken: got a value; expected a string/);
    expect(problems.join('\n')).not.toContain('918273645');
  });

  test('a missing admin token and a missing http section are reported as missing', () => {
    expect(problemsOf(() => load('http:\n  port: 1234\n'))).toEqual([expect.stringMatching(/^http\.adminToken: missing/)]);
    expect(problemsOf(() => load('sessions: []\n'))).toEqual([expect.stringMatching(/^http: missing/)]);
    expect(problemsOf(() => load(''))).toEqual([expect.stringMatching(/^http: missing/)]);
  });

  test('duplicate session ids name both entries', () => {
    const problems = problemsOf(() =>
      load(`
http:
  adminToken: a-real-admin-token
sessions:
  - id: a
    engine: simulator
  - id: b
    engine: simulator
  - id: a
    engine: simulator
  - id: b
    engine: simulator
`),
    );
    expect(problems).toEqual([
      'sessions[2].id: "a" is already the id of sessions[0]; session ids must be unique',
      'sessions[3].id: "b" is already the id of sessions[1]; session ids must be unique',
    ]);
  });

  test('duplicates are still found when another session has problems', () => {
    const problems = problemsOf(() =>
      load(`
http:
  adminToken: a-real-admin-token
sessions:
  - id: a
    engine: whatsapp
  - id: a
    engine: simulator
`),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^sessions\[1\]\.id: "a" is already the id of sessions\[0\]/),
        expect.stringMatching(/^sessions\[0\]\.engine: got "whatsapp"; expected one of simulator, wppconnect, wwebjs/),
      ]),
    );
  });

  test('session ids must be usable in URLs and metrics', () => {
    const problems = problemsOf(() => load(GOOD.replace('id: main', 'id: "Main Phone"')));
    expect(problems).toEqual([expect.stringMatching(/^sessions\[0\]\.id: got "Main Phone"; expected lowercase letters/)]);
  });

  test('a missing file says so and how to create one', () => {
    const missing = `${dir}/does-not-exist.yaml`;
    const problems = problemsOf(() => loadConfig({ path: missing, env: {} }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(missing);
    expect(problems[0]).toContain('file not found');
    expect(problems[0]).toContain('ponte config example');
  });

  test('a YAML syntax error is reported with its line', () => {
    const problems = problemsOf(() => load('http:\n  adminToken: x\n  port: [1, 2\nlog: {}\n'));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^YAML syntax: .*line \d+/);
  });

  test('a file that is not a mapping is refused', () => {
    expect(problemsOf(() => load('- a\n- b\n'))).toEqual([expect.stringMatching(/^\(root\): expected a mapping/)]);
  });

  test('PONTE_CONFIG chooses the file when no path is given', () => {
    const path = file(GOOD.replace('id: main', 'id: from-env-path'));
    expect(loadConfig({ env: { PONTE_CONFIG: path } }).sessions[0].id).toBe('from-env-path');
  });
});

describe('environment overrides', () => {
  test('PONTE_HTTP__PORT overrides the file and becomes a number', () => {
    const cfg = load(GOOD, { PONTE_HTTP__PORT: '9090' });
    expect(cfg.http.port).toBe(9090);
  });

  test.each(['PONTE_HTTP__ADMIN_TOKEN', 'PONTE_HTTP__ADMINTOKEN', 'PONTE_http__adminToken', 'PONTE_HTTP__admin_token'])(
    'key names ignore case and underscores: %s',
    (name) => {
      expect(load(GOOD, { [name]: 'token-from-the-environment' }).http.adminToken).toBe('token-from-the-environment');
    },
  );

  test('list items are addressed by index, and can be created from env alone', () => {
    expect(load(GOOD, { PONTE_SESSIONS__0__ID: 'renamed' }).sessions.map((s) => s.id)).toEqual(['renamed']);
    const cfg = load('http:\n  adminToken: a-real-admin-token\n', {
      PONTE_SESSIONS__0__ID: 'envonly',
      PONTE_SESSIONS__0__ENGINE: 'simulator',
    });
    expect(cfg.sessions).toHaveLength(1);
    expect(cfg.sessions[0]).toMatchObject({ id: 'envonly', engine: 'simulator', simulator: { requireQr: false } });
  });

  test('a whole list can be given as JSON/YAML', () => {
    const cfg = load('http:\n  adminToken: a-real-admin-token\n', {
      PONTE_SESSIONS: '[{"id":"x","engine":"simulator"},{"id":"y","engine":"simulator"}]',
    });
    expect(cfg.sessions.map((s) => s.id)).toEqual(['x', 'y']);
  });

  test.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['ON', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['off', false],
  ])('boolean %s becomes %s', (value, expected) => {
    expect(load(GOOD, { PONTE_LOG__PRETTY: value }).log.pretty).toBe(expected);
    expect(load(GOOD, { PONTE_SESSIONS__0__SIMULATOR__REQUIRE_QR: value }).sessions[0].simulator.requireQr).toBe(expected);
  });

  test('numbers deep in the tree are coerced', () => {
    const cfg = load(GOOD, { PONTE_SHUTDOWN_TIMEOUT_MS: '2500', PONTE_SESSIONS__0__SIMULATOR__ACK_INTERVAL_MS: '40' });
    expect(cfg.shutdownTimeoutMs).toBe(2500);
    expect(cfg.sessions[0].simulator.ackIntervalMs).toBe(40);
  });

  test('a value that cannot be coerced names the env var and the key', () => {
    const problems = problemsOf(() => load(GOOD, { PONTE_HTTP__PORT: 'eighty', PONTE_LOG__PRETTY: 'maybe' }));
    expect(problems).toEqual(
      expect.arrayContaining([
        'PONTE_HTTP__PORT (http.port): got "eighty"; expected a number',
        'PONTE_LOG__PRETTY (log.pretty): got "maybe"; expected true or false',
      ]),
    );
  });

  test('a value the schema refuses names the env var it came from', () => {
    const problems = problemsOf(() => load(GOOD, { PONTE_HTTP__PORT: '70000', PONTE_HTTP__ADMIN_TOKEN: 'changeme' }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^http\.port \(from PONTE_HTTP__PORT\): got 70000/),
        expect.stringMatching(/^http\.adminToken \(from PONTE_HTTP__ADMIN_TOKEN\): got a value; is a placeholder/),
      ]),
    );
  });

  test('PONTE_HTTP__ADMINTOKEN_FILE reads the secret from a file (trimmed) and wins over the file value', () => {
    const secretFile = writeFile(dir, 'admin-token.txt', '  token-from-a-file\n');
    expect(load(GOOD, { PONTE_HTTP__ADMINTOKEN_FILE: secretFile }).http.adminToken).toBe('token-from-a-file');
  });

  test('an unreadable secret file is named', () => {
    const problems = problemsOf(() => load(GOOD, { PONTE_HTTP__ADMINTOKEN_FILE: `${dir}/no-such-secret` }));
    expect(problems).toEqual([`PONTE_HTTP__ADMINTOKEN_FILE: cannot read the secret file ${dir}/no-such-secret (ENOENT)`]);
  });

  test('an unknown env key is reported with where it was looked for', () => {
    const problems = problemsOf(() => load(GOOD, { PONTE_HTTP__PROT: '1', PONTE_NOPE: 'x', PONTE_SESSIONS__0__COLOUR: 'red' }));
    expect(problems).toEqual(
      expect.arrayContaining([
        'PONTE_HTTP__PROT: no configuration key "prot" under http',
        'PONTE_NOPE: no configuration key "nope" under (root)',
        'PONTE_SESSIONS__0__COLOUR: no configuration key "colour" under sessions[0]',
      ]),
    );
    expect(problems).toHaveLength(3);
  });

  test('the CLI variables and unrelated variables are not configuration keys', () => {
    const cfg = load(GOOD, { PONTE_CONFIG: '/elsewhere.yaml', PONTE_URL: 'http://x', PONTE_ADMIN_TOKEN: 't', HOME: '/root', PONTEX: '1' });
    expect(cfg.http.adminToken).toBe('a-real-admin-token');
  });
});

describe('config example', () => {
  test('parses as YAML and validates once its published sample secrets are replaced, each of which is refused', () => {
    const text = configExample();
    const parsed = YAML.parse(text) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(expect.arrayContaining(['http', 'redis', 'log', 'sessions', 'shutdownTimeoutMs']));
    expect(problemsOf(() => validate(parsed, 'example'))).toEqual(
      ['http.adminToken', 'chatwoot.apiToken', 'chatwoot.webhookSecret', 'registration.secret', 'registration.resultsApi.token'].map(
        (key) => expect.stringMatching(new RegExp(`^${key.replace(/\./g, '\\.')}: .*published example`)),
      ),
    );
    const real = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
    const mine = YAML.parse(text.replace(/"?replace-with-[\w-]+"?/g, real)) as Record<string, unknown>;
    const cfg = validate(mine, 'example');
    expect(cfg.sessions).toHaveLength(1);
    expect(cfg.redis.keyPrefix).toBe('ponte:');
  });

  test('documents every key with a comment and mentions env overrides', () => {
    const text = configExample();
    expect(text).toContain('PONTE_HTTP__PORT');
    expect(text).toContain('PONTE_HTTP__ADMINTOKEN_FILE');
    // Each documented key line is preceded by its description.
    for (const key of ['port', 'adminToken', 'dataDir', 'level', 'requireQr', 'shutdownTimeoutMs']) {
      const lines = text.split('\n');
      const i = lines.findIndex((l) => new RegExp(`^\\s*(- )?${key}:`).test(l));
      expect(i).toBeGreaterThan(0);
      expect(lines[i - 1].trim().startsWith('#')).toBe(true);
    }
  });
});
