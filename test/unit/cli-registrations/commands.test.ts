/**
 * `ponte registrations ...` and `ponte bots ...`: the real command code, run in process, against the
 * daemon's real admin routers (bearer auth, error handler) backed by in-memory fakes on a local port.
 * Exit codes and stderr follow src/cli/index.ts.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Command, CommanderError } from 'commander';
import express from 'express';
import pino from 'pino';
import { AdminError, UsageError } from '../../../src/cli/admin-client';
import { chatKeyOf, registerBots } from '../../../src/cli/commands/bots';
import { registerRegistrations } from '../../../src/cli/commands/registrations';
import { bearerAuth } from '../../../src/http/auth';
import { adminBotRoutes } from '../../../src/http/admin-bot-routes';
import { adminRegistrationRoutes } from '../../../src/http/admin-registration-routes';
import { errorHandler, notFound } from '../../../src/http/errors';
import type { RegistrationRecord, RegistrationStatus } from '../../../src/store/registrations';

const TOKEN = 'cli-test-admin-token-0123';
const T0 = Date.parse('2025-03-04T10:20:30.456Z');
const BASE64 = `data:image/jpeg;base64,${'/9j/4AAQSkZJRgABAQ'.repeat(40)}`;

const records: RegistrationRecord[] = [
  {
    id: 'a1b2c3d4e5f60718',
    source: 'flow',
    session: 'main',
    target: { session: 'main', inboxId: 3, chatKey: '351912345678@c.us', waChatId: '351912345678@c.us', isGroup: false, reopen: 'reuse' },
    conversationId: 42,
    phone: '+351912345678',
    resultId: 'res-9',
    status: 'delivered',
    fields: { name: 'Maria Silva', nif: '123456789', address: 'Rua A, 1\n1000-001 Lisboa', selfie: BASE64 },
    files: [
      { field: 'license_front', mediaId: 'm-1', filename: 'carta.jpg', mimetype: 'image/jpeg', size: 254_976 },
      { field: 'iban_proof', mediaId: 'm-2', filename: 'iban.pdf', mimetype: 'application/pdf', size: 512 },
    ],
    driverId: 'DRV-7781',
    createdAt: T0,
    updatedAt: T0 + 60_000,
    submittedAt: '2025-03-04T10:20:40.000Z',
    deliveredAt: T0 + 60_000,
  },
  {
    id: 'ffee000011112222',
    source: 'hook',
    session: 'main',
    phone: '+5511999991234',
    status: 'rejected',
    fields: { name: 'João' },
    files: [],
    error: 'backend said 422: nif already registered',
    createdAt: T0 - 3_600_000,
    updatedAt: T0 - 3_000_000,
  },
  {
    id: '0000aaaa1111bbbb',
    source: 'flow',
    session: 'second',
    status: 'fixing',
    fields: { nif: '1' },
    files: [],
    problems: [{ field: 'nif', code: 'invalid_nif', message: { pt: 'NIF inválido', en: 'the NIF is not valid' } }],
    fixing: ['nif', 'license_front'],
    createdAt: T0 - 7_200_000,
    updatedAt: T0 - 7_100_000,
  },
];

interface Seen {
  method: string;
  url: string;
  authorization?: string;
}

let server: Server;
let url: string;
let seen: Seen[] = [];
const calls: {
  list: Array<[number, RegistrationStatus | undefined]>;
  retry: string[];
  bots: Array<string | undefined>;
  resume: string[][];
  restart: string[][];
} = {
  list: [],
  retry: [],
  bots: [],
  resume: [],
  restart: [],
};
const chats = [
  { session: 'main', chatKey: '351912345678@c.us', mode: 'human' as const },
  { session: 'main', chatKey: '120363000000000000@g.us', mode: 'bot' as const },
  { session: 'second', chatKey: '5511999991234@c.us', mode: 'bot' as const },
];

beforeAll(async () => {
  const app = express();
  app.use((req, _res, next) => {
    seen.push({ method: req.method, url: req.originalUrl, authorization: req.get('authorization') });
    next();
  });
  app.use(
    '/admin',
    bearerAuth(TOKEN),
    express.json(),
    adminRegistrationRoutes({
      list: async (limit, status) => {
        calls.list.push([limit, status]);
        return records.filter((r) => !status || r.status === status).slice(0, limit);
      },
      get: async (id) => records.find((r) => r.id === id),
      retry: async (id) => {
        calls.retry.push(id);
        const rec = records.find((r) => r.id === id);
        if (!rec) return 'unknown';
        if (rec.status === 'delivered' || rec.status === 'fixing') return rec.status;
        return 'queued';
      },
    }),
    adminBotRoutes({
      list: async (session) => {
        calls.bots.push(session);
        return chats.filter((c) => !session || c.session === session);
      },
      resume: async (session, chatKey) => {
        calls.resume.push([session, chatKey]);
        return chats.some((c) => c.session === session && c.chatKey === chatKey && c.mode === 'human');
      },
      requestRestart: async (session, chatKey) => {
        calls.restart.push([session, chatKey]);
        return chats.some((c) => c.session === session && c.chatKey === chatKey);
      },
    }),
  );
  app.use(notFound);
  app.use(errorHandler(pino({ level: 'silent' })));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
});

beforeEach(() => {
  seen = [];
  for (const list of Object.values(calls)) list.length = 0;
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `ponte <args>` in process, with the exit code and stderr src/cli/index.ts would give. */
async function ponte(args: string[], options: { auth?: boolean } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const program = new Command('ponte').exitOverride().configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  registerRegistrations(program);
  registerBots(program);
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  const argv = options.auth === false ? args : [...args, '--url', url, '--token', TOKEN];
  try {
    await program.parseAsync(argv, { from: 'user' });
    return { code: 0, stdout, stderr };
  } catch (err) {
    if (err instanceof CommanderError) return { code: err.exitCode, stdout, stderr };
    if (err instanceof AdminError || err instanceof UsageError) return { code: 1, stdout, stderr: `${stderr}ponte: ${err.message}\n` };
    throw err;
  } finally {
    write.mockRestore();
  }
}

const bearer = `Bearer ${TOKEN}`;

describe('ponte registrations list', () => {
  test('prints a table: id, status, masked phone, updated, driver id or error', async () => {
    const run = await ponte(['registrations', 'list']);
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'ID                STATUS     PHONE     UPDATED               DRIVER ID / ERROR',
        'a1b2c3d4e5f60718  delivered  +•••5678  2025-03-04T10:21:30Z  DRV-7781',
        'ffee000011112222  rejected   +•••1234  2025-03-04T09:30:30Z  backend said 422: nif already registered',
        '0000aaaa1111bbbb  fixing     -         2025-03-04T08:22:10Z  -',
        '3 registration(s); details with: ponte registrations show <id>',
        '',
      ].join('\n'),
    });
    expect(run.stdout).not.toContain('912345678');
    expect(seen).toEqual([{ method: 'GET', url: '/admin/registrations?limit=50', authorization: bearer }]);
    expect(calls.list).toEqual([[50, undefined]]);
  });

  test('--status and --limit are passed on; --json prints what the daemon answered', async () => {
    const run = await ponte(['registrations', 'list', '--status', 'rejected', '--limit', '5', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      registrations: [
        {
          id: 'ffee000011112222',
          status: 'rejected',
          session: 'main',
          phone: '+5511999991234',
          source: 'hook',
          error: 'backend said 422: nif already registered',
          createdAt: '2025-03-04T09:20:30.456Z',
          updatedAt: '2025-03-04T09:30:30.456Z',
          files: 0,
        },
      ],
    });
    expect(seen).toEqual([{ method: 'GET', url: '/admin/registrations?status=rejected&limit=5', authorization: bearer }]);
    expect(calls.list).toEqual([[5, 'rejected']]);
  });

  test('says so when there is none', async () => {
    expect(await ponte(['registrations', 'list', '--status', 'queued'])).toEqual({
      code: 0,
      stdout: 'no queued registrations\n',
      stderr: '',
    });
  });

  test('a wrong --status or --limit is refused before any request', async () => {
    const status = await ponte(['registrations', 'list', '--status', 'done']);
    expect(status).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ponte: --status: got "done"; expected one of fixing, queued, delivered, rejected, failed\n',
    });
    const limit = await ponte(['registrations', 'list', '--limit', '0']);
    expect(limit).toEqual({ code: 1, stdout: '', stderr: 'ponte: --limit: got "0"; expected a whole number from 1 to 500\n' });
    expect(seen).toEqual([]);
  });

  test('a wrong token: exit 1 with the 401', async () => {
    const run = await ponte(['registrations', 'list', '--url', url, '--token', 'not-the-token'], { auth: false });
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'ponte: 401: the admin token is not valid\n' });
    expect(seen).toEqual([{ method: 'GET', url: '/admin/registrations?limit=50', authorization: 'Bearer not-the-token' }]);
  });

  test('the daemon found through $PONTE_URL and $PONTE_ADMIN_TOKEN', async () => {
    const saved = { url: process.env.PONTE_URL, token: process.env.PONTE_ADMIN_TOKEN };
    process.env.PONTE_URL = `${url}/`;
    process.env.PONTE_ADMIN_TOKEN = TOKEN;
    try {
      expect((await ponte(['registrations', 'list', '--status', 'fixing'], { auth: false })).code).toBe(0);
    } finally {
      for (const [k, v] of [
        ['PONTE_URL', saved.url],
        ['PONTE_ADMIN_TOKEN', saved.token],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect(seen).toEqual([{ method: 'GET', url: '/admin/registrations?status=fixing&limit=50', authorization: bearer }]);
  });

  test('nobody listening: exit 1 saying where it looked', async () => {
    const run = await ponte(['registrations', 'list', '--url', 'http://127.0.0.1:1', '--token', TOKEN], { auth: false });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('ponte: no Ponte daemon answers at http://127.0.0.1:1 (is it running? see --url)\n');
  });
});

describe('ponte registrations show', () => {
  test('lists the record readably: files with sizes, never their content', async () => {
    const run = await ponte(['registrations', 'show', 'a1b2c3d4e5f60718']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        'registration a1b2c3d4e5f60718',
        '  status          delivered',
        '  source          flow',
        '  session         main',
        '  phone           +351912345678',
        '  chat            351912345678@c.us (inbox 3)',
        '  conversation    42',
        '  typebot result  res-9',
        '  driver id       DRV-7781',
        '  created         2025-03-04T10:20:30Z',
        '  updated         2025-03-04T10:21:30Z',
        '  submitted       2025-03-04T10:20:40.000Z',
        '  delivered       2025-03-04T10:21:30Z',
        'fields',
        '  name     Maria Silva',
        '  nif      123456789',
        '  address  Rua A, 1',
        '           1000-001 Lisboa',
        `  selfie   <file content left out, ${BASE64.length} characters>`,
        'files',
        '  FIELD          NAME       TYPE             SIZE      MEDIA',
        '  license_front  carta.jpg  image/jpeg       249.0 KB  m-1',
        '  iban_proof     iban.pdf   application/pdf  512 B     m-2',
        '',
      ].join('\n'),
    );
    expect(run.stdout).not.toContain('base64');
    expect(seen).toEqual([{ method: 'GET', url: '/admin/registrations/a1b2c3d4e5f60718', authorization: bearer }]);
  });

  test('problems and the fields still awaited from the driver', async () => {
    const run = await ponte(['registrations', 'show', '0000aaaa1111bbbb']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      '\nfiles: none\nproblems\n  nif (invalid_nif): the NIF is not valid\nwaiting for the driver to send again: nif, license_front\n',
    );
    expect(run.stdout).not.toMatch(/phone|driver id|delivered/);
  });

  test('--json prints the record, with no base64 in it', async () => {
    const run = await ponte(['registrations', 'show', 'a1b2c3d4e5f60718', '--json']);
    expect(run.code).toBe(0);
    const rec = JSON.parse(run.stdout) as RegistrationRecord;
    const { selfie: _selfie, ...plainFields } = records[0].fields;
    expect(rec).toEqual({ ...records[0], fields: { ...plainFields, selfie: `<file content left out, ${BASE64.length} characters>` } });
    expect(run.stdout).not.toContain('base64');
  });

  test('an unknown id: exit 1 with the 404', async () => {
    expect(await ponte(['registrations', 'show', 'nope'])).toEqual({ code: 1, stdout: '', stderr: 'ponte: 404: no registration nope\n' });
  });
});

describe('ponte registrations retry', () => {
  test('queued: exit 0 with a message', async () => {
    const run = await ponte(['registrations', 'retry', 'ffee000011112222']);
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout: 'registration ffee000011112222 is queued; follow it with: ponte registrations show ffee000011112222\n',
    });
    expect(seen).toEqual([{ method: 'POST', url: '/admin/registrations/ffee000011112222/retry', authorization: bearer }]);
    expect(calls.retry).toEqual(['ffee000011112222']);
  });

  test('unknown: exit 1 with the 404 message', async () => {
    const run = await ponte(['registrations', 'retry', 'deadbeefdeadbeef']);
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'ponte: 404: no registration deadbeefdeadbeef\n' });
    expect(seen).toEqual([{ method: 'POST', url: '/admin/registrations/deadbeefdeadbeef/retry', authorization: bearer }]);
  });

  test('delivered already, or still being fixed: exit 1 with the 409 message', async () => {
    expect(await ponte(['registrations', 'retry', 'a1b2c3d4e5f60718'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ponte: 409: registration a1b2c3d4e5f60718 was delivered already; it is not sent twice\n',
    });
    expect(await ponte(['registrations', 'retry', '0000aaaa1111bbbb'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ponte: 409: registration 0000aaaa1111bbbb is still invalid (the driver is fixing it); it cannot be sent as is\n',
    });
    expect(calls.retry).toEqual(['a1b2c3d4e5f60718', '0000aaaa1111bbbb']);
  });

  test('no id: a usage error from commander, no request', async () => {
    const run = await ponte(['registrations', 'retry']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("missing required argument 'id'");
    expect(seen).toEqual([]);
  });
});

describe('ponte bots', () => {
  test('list: a table of session, chat and mode', async () => {
    const run = await ponte(['bots', 'list']);
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'SESSION  CHAT                     MODE',
        'main     351912345678@c.us        human',
        'main     120363000000000000@g.us  bot',
        'second   5511999991234@c.us       bot',
        '3 chat(s), 1 in human hands; give one back to its bot with: ponte bots resume <session> <chat>',
        '',
      ].join('\n'),
    });
    expect(seen).toEqual([{ method: 'GET', url: '/admin/bots', authorization: bearer }]);
  });

  test('list --session S --json', async () => {
    const run = await ponte(['bots', 'list', '--session', 'second', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ chats: [{ session: 'second', chatKey: '5511999991234@c.us', mode: 'bot' }] });
    expect(seen).toEqual([{ method: 'GET', url: '/admin/bots?session=second', authorization: bearer }]);
    expect(calls.bots).toEqual(['second']);
  });

  test('list: says so when there is none', async () => {
    expect(await ponte(['bots', 'list', '--session', 'third'])).toEqual({
      code: 0,
      stdout: 'no chats with a bot flow or in human hands in session third\n',
      stderr: '',
    });
  });

  test('resume by chat key', async () => {
    const run = await ponte(['bots', 'resume', 'main', '351912345678@c.us']);
    expect(run).toEqual({ code: 0, stderr: '', stdout: 'chat 351912345678@c.us of session main is back with its bot\n' });
    expect(seen).toEqual([{ method: 'POST', url: '/admin/bots/main/351912345678%40c.us/resume', authorization: bearer }]);
    expect(calls.resume).toEqual([['main', '351912345678@c.us']]);
  });

  test('resume by phone number: +351912345678 is 351912345678@c.us', async () => {
    const run = await ponte(['bots', 'resume', 'main', '+351 912 345 678']);
    expect(run.code).toBe(0);
    expect(calls.resume).toEqual([['main', '351912345678@c.us']]);
  });

  test('resume a chat the bot still has: exit 1 with the 404 message', async () => {
    const run = await ponte(['bots', 'resume', 'second', '+5511999991234']);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ponte: 404: chat 5511999991234@c.us of session second is not in human hands (or the session has no bot)\n',
    });
    expect(calls.resume).toEqual([['second', '5511999991234@c.us']]);
  });

  test('restart: 202, a fresh flow', async () => {
    const run = await ponte(['bots', 'restart', 'main', '+351912345678']);
    expect(run).toEqual({ code: 0, stderr: '', stdout: 'chat 351912345678@c.us of session main: a fresh flow is starting\n' });
    expect(seen).toEqual([{ method: 'POST', url: '/admin/bots/main/351912345678%40c.us/restart', authorization: bearer }]);
    expect(calls.restart).toEqual([['main', '351912345678@c.us']]);
  });

  test('restart a group by its key', async () => {
    expect((await ponte(['bots', 'restart', 'main', '120363000000000000@g.us'])).code).toBe(0);
    expect(calls.restart).toEqual([['main', '120363000000000000@g.us']]);
  });

  test('restart an unknown chat: exit 1 with the 404 message', async () => {
    const run = await ponte(['bots', 'restart', 'main', '351900000000']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "ponte: 404: no bot history for chat 351900000000@c.us of session main; a flow starts with the user's next message\n",
    );
  });

  test('a chat that is neither a phone nor a chat key: exit 1, no request', async () => {
    const run = await ponte(['bots', 'resume', 'main', 'maria']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'ponte: chat: got "maria"; expected a phone number (+351912345678) or a chat key (351912345678@c.us, <id>@g.us, <n>@lid; see ponte bots list)\n',
    );
    expect(seen).toEqual([]);
  });
});

describe('chatKeyOf', () => {
  test.each([
    ['+351912345678', '351912345678@c.us'],
    ['351912345678', '351912345678@c.us'],
    ['+55 (11) 99999-1234', '5511999991234@c.us'],
    ['351912345678@c.us', '351912345678@c.us'],
    ['351912345678:12@s.whatsapp.net', '351912345678@c.us'],
    ['120363000000000000@g.us', '120363000000000000@g.us'],
    ['987654321012345@lid', '987654321012345@lid'],
  ])('%s -> %s', (given, key) => {
    expect(chatKeyOf(given)).toBe(key);
  });

  test.each(['maria', '12345', '@c.us', '351912345678@', ''])('refuses %j', (given) => {
    expect(() => chatKeyOf(given)).toThrow(UsageError);
  });
});
