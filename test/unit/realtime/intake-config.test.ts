import YAML from 'yaml';
import { ConfigError } from '../../../src/config/errors';
import { configExample } from '../../../src/config/example';
import { loadConfig } from '../../../src/config/load';
import { removeTempDirs, tempDir, writeFile } from '../../helpers';

const dir = tempDir('ponte-intake-config-');
afterAll(removeTempDirs);
let n = 0;

const yaml = (chatwoot: string) => `
http:
  adminToken: a-real-admin-token
sessions:
  - id: main
    engine: simulator
    inboxId: 1
chatwoot:
  baseUrl: https://chat.example.com
  accountId: 1
  apiToken: a-real-user-token
${chatwoot}
`;
const load = (chatwoot: string, env: NodeJS.ProcessEnv = {}) => loadConfig({ path: writeFile(dir, `i${++n}.yaml`, yaml(chatwoot)), env });

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('chatwoot.intake configuration', () => {
  test('defaults to webhook, with the socket settings ready for websocket', () => {
    const cw = load('  webhookSecret: the-inbox-secret').chatwoot!;
    expect(cw.intake).toBe('webhook');
    expect(cw.websocket).toEqual({ staleAfterMs: 10000, subscribeTimeoutMs: 10000, reconnectMinMs: 1000, reconnectMaxMs: 60000 });
  });

  test('webhook intake still needs a webhook secret or token; websocket and poll do not', () => {
    expect(problemsOf(() => load(''))[0]).toContain('chatwoot: set webhookSecret');
    expect(problemsOf(() => load(''))[0]).toContain('set intake: websocket or poll');
    expect(load('  intake: websocket').chatwoot!.intake).toBe('websocket');
    expect(load('  intake: poll').chatwoot!.intake).toBe('poll');
  });

  test('an unknown mode and a non-websocket URL are named with their key path', () => {
    expect(problemsOf(() => load('  intake: socket'))).toEqual([
      expect.stringMatching(/^chatwoot\.intake: .*expected "webhook", "websocket" or "poll"/),
    ]);
    expect(problemsOf(() => load('  intake: websocket\n  websocket:\n    url: https://chat.example.com/cable'))).toEqual([
      expect.stringMatching(/^chatwoot\.websocket\.url: .*expected a ws:\/\/ or wss:\/\/ URL/),
    ]);
    expect(load('  intake: websocket\n  websocket:\n    url: wss://rt.example.com/cable').chatwoot!.websocket.url).toBe(
      'wss://rt.example.com/cable',
    );
  });

  test('can be chosen from the environment', () => {
    const cw = load('', { PONTE_CHATWOOT__INTAKE: 'websocket', PONTE_CHATWOOT__WEBSOCKET__RECONNECT_MAX_MS: '5000' }).chatwoot!;
    expect(cw.intake).toBe('websocket');
    expect(cw.websocket.reconnectMaxMs).toBe(5000);
  });

  test('the generated example documents both keys', () => {
    const example = YAML.parse(configExample()) as { chatwoot: Record<string, unknown> };
    expect(example.chatwoot.intake).toBe('webhook');
    expect(example.chatwoot.websocket).toMatchObject({ staleAfterMs: 10000, reconnectMinMs: 1000 });
    expect(configExample()).toContain('# url:');
  });
});
