import { validate } from '../../../src/config/load';
import { configProblems as problems, GOOD_SECRET as TOKEN } from './config-problems';

const config = (sessions: object[], baseUrl = 'https://chatwoot.example.com') => ({
  http: { adminToken: TOKEN },
  sessions,
  chatwoot: { baseUrl, accountId: 1, apiToken: TOKEN, webhookSecret: TOKEN },
});

test('with the chatwoot section, a session without inboxId is an error, not a silent drop of its messages', () => {
  expect(
    problems(
      config([
        { id: 'main', engine: 'simulator', inboxId: 3 },
        { id: 'shop', engine: 'simulator' },
      ]),
    ),
  ).toEqual([
    expect.stringMatching(/^sessions\[1\]\.inboxId: missing; with the chatwoot section every session needs its API-channel inbox/),
  ]);
});

test('without a chatwoot section a session needs no inbox', () => {
  expect(problems({ http: { adminToken: TOKEN }, sessions: [{ id: 'main', engine: 'simulator' }] })).toEqual([]);
});

test.each(['https://chatwoot.example.com/app', 'https://chatwoot.example.com/api/v1', 'https://chatwoot.example.com/?x=1'])(
  'a baseUrl with a path or query (%s) is refused with the form it should take',
  (baseUrl) => {
    expect(problems(config([{ id: 'main', engine: 'simulator', inboxId: 1 }], baseUrl))).toEqual([
      expect.stringContaining(
        `chatwoot.baseUrl: got "${baseUrl}"; has a path or query: expected only the origin Chatwoot is served at, e.g. https://chatwoot.example.com`,
      ),
    ]);
  },
);

test('a baseUrl with a port and a trailing slash is an origin', () => {
  expect(problems(config([{ id: 'main', engine: 'simulator', inboxId: 1 }], 'http://rails:3000/'))).toEqual([]);
});

describe('one data root', () => {
  test('logins, files and the embedded Redis live under dataDir; absolute directories stay where they are', () => {
    const c = validate({ dataDir: '/srv/ponte', http: { adminToken: TOKEN }, sessions: [], sessionStore: { dir: '/mnt/logins' } }, 'test');
    expect([c.dataDir, c.redis.dataDir, c.sessionStore.dir, c.media.dir]).toEqual([
      '/srv/ponte',
      '/srv/ponte/redis',
      '/mnt/logins',
      '/srv/ponte/media',
    ]);
  });
});
