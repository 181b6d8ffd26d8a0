/**
 * Secrets copied from Ponte's own examples are public, and short ones can be guessed: the daemon refuses
 * to start with either, naming the key.
 */
import fs from 'node:fs';
import path from 'node:path';
import { configProblems as problems, GOOD_SECRET as LONG } from './config-problems';

const ROOT = path.resolve(__dirname, '../../..');

const base = (over: { http?: object; chatwoot?: object; registration?: object } = {}) => ({
  http: { adminToken: LONG, ...over.http },
  sessions: [{ id: 'main', engine: 'simulator', inboxId: 1 }],
  chatwoot: { baseUrl: 'http://chatwoot.internal:3000', accountId: 1, apiToken: LONG, webhookSecret: LONG, ...over.chatwoot },
});

/** Every `NAME=value` of .env.example marked SECRET in its comment. */
function envExampleSecrets(): Array<[string, string]> {
  const lines = fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8').split('\n');
  const out: Array<[string, string]> = [];
  lines.forEach((line, i) => {
    const m = /^([A-Z_]+)=(.+)$/.exec(line);
    let j = i - 1;
    while (j >= 0 && lines[j].startsWith('#')) j -= 1;
    const comment = lines.slice(j + 1, i).join(' ');
    if (m && /SECRET/.test(comment)) out.push([m[1], m[2]]);
  });
  return out;
}

test('.env.example has secrets to check', () => {
  expect(envExampleSecrets().map(([name]) => name)).toEqual(
    expect.arrayContaining(['PONTE_ADMIN_TOKEN', 'CHATWOOT_API_TOKEN', 'CHATWOOT_WEBHOOK_SECRET']),
  );
});

test.each(envExampleSecrets())("the published sample %s of .env.example is refused as any of Ponte's secrets", (_name, value) => {
  expect(problems(base({ http: { adminToken: value } }))).toEqual([expect.stringMatching(/^http\.adminToken: .*published example/)]);
  expect(problems(base({ chatwoot: { webhookSecret: value } }))).toEqual([
    expect.stringMatching(/^chatwoot\.webhookSecret: .*published example/),
  ]);
  expect(problems(base({ chatwoot: { apiToken: value } }))).toEqual([expect.stringMatching(/^chatwoot\.apiToken: .*published example/)]);
});

test.each([
  ['http.adminToken', base({ http: { adminToken: 'short-token-15c' } })],
  ['chatwoot.webhookSecret', base({ chatwoot: { webhookSecret: 'fifteen-chars!!' } })],
  ['chatwoot.webhookToken', base({ chatwoot: { webhookSecret: undefined, webhookToken: 'tok-0123456789' } })],
])('%s shorter than 16 characters is refused with a way to make a good one', (key, config) => {
  expect(problems(config)).toEqual([
    expect.stringMatching(new RegExp(`^${key.replace('.', '\\.')}: .*shorter than 16 characters.*openssl rand`)),
  ]);
});

test('16 characters and more pass; the Chatwoot token (Chatwoot makes it) has no length rule', () => {
  expect(problems(base({ http: { adminToken: 'exactly-16-chars' }, chatwoot: { apiToken: 'abc123' } }))).toEqual([]);
});
