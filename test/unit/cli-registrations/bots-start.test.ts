/**
 * `ponte bots start`: the real command code, run in process, against the daemon's real route (bearer
 * auth, body parsing, error handler) backed by a starter that records what it was asked.
 * Exit codes and stderr follow src/cli/index.ts.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Command, CommanderError } from 'commander';
import express from 'express';
import pino from 'pino';
import { AdminError, UsageError } from '../../../src/cli/admin-client';
import { registerBots } from '../../../src/cli/commands/bots';
import { bearerAuth } from '../../../src/http/auth';
import { adminFlowStartRoutes } from '../../../src/http/admin-flow-start-routes';
import { errorHandler, notFound } from '../../../src/http/errors';
import { FlowStartRefused, type FlowStartRequest } from '../../../src/bots/flow-starter';

const TOKEN = 'cli-test-admin-token-0123';
let server: Server;
let url: string;
const asked: FlowStartRequest[] = [];

beforeAll(async () => {
  const app = express();
  app.use(
    '/admin',
    bearerAuth(TOKEN),
    express.json(),
    adminFlowStartRoutes(
      {
        start: async (req) => {
          asked.push(req);
          if (req.phone === '+351912999999') {
            throw new FlowStartRefused(
              'no_whatsapp',
              '+351912999999 has no WhatsApp account (asked WhatsApp for every form of the number)',
            );
          }
          const digits = req.phone.slice(1);
          return {
            session: req.session,
            bot: req.bot ?? 'helper',
            phone: req.phone,
            chatKey: `${digits}@c.us`,
            chatId: `${digits}@c.us`,
            conversationId: 42,
          };
        },
      },
      'PT',
    ),
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
  asked.length = 0;
});

/** `ponte <args>` in process, with the exit code and stderr src/cli/index.ts would give. */
async function ponte(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const program = new Command('ponte').exitOverride().configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  registerBots(program);
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  try {
    await program.parseAsync([...args, '--url', url, '--token', TOKEN], { from: 'user' });
    return { code: 0, stdout, stderr };
  } catch (err) {
    if (err instanceof CommanderError) return { code: err.exitCode, stdout, stderr };
    if (err instanceof AdminError || err instanceof UsageError) return { code: 1, stdout, stderr: `${stderr}ponte: ${err.message}\n` };
    throw err;
  } finally {
    write.mockRestore();
  }
}

describe('ponte bots start <session> <phone> [--bot B] [--var name=value]', () => {
  test("starts the session's bot for a number, read as the pairing phone is (a national one in the default country)", async () => {
    const run = await ponte(['bots', 'start', 'main', '912 345 678']);
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout: 'bot helper is starting its flow for +351912345678 in session main (chat 351912345678@c.us, conversation 42)\n',
    });
    expect(asked).toEqual([{ session: 'main', phone: '+351912345678' }]);
  });

  test('another bot, with variables for its start', async () => {
    const run = await ponte(['bots', 'start', 'main', '+351912345678', '--bot', 'invite', '--var', 'invite=ABC=1', '--var', 'source=sms']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('bot invite is starting its flow for +351912345678');
    expect(asked).toEqual([{ session: 'main', phone: '+351912345678', bot: 'invite', variables: { invite: 'ABC=1', source: 'sms' } }]);
  });

  test("the daemon's refusal, with its reason, exits 1", async () => {
    expect(await ponte(['bots', 'start', 'main', '+351912999999'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ponte: 422: +351912999999 has no WhatsApp account (asked WhatsApp for every form of the number)\n',
    });
    const bad = await ponte(['bots', 'start', 'main', '+351 12']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('ponte: 400: phone: "+351 12" is not a valid phone number');
    expect(asked).toHaveLength(1);
  });

  test('a --var without name=value is refused before any call', async () => {
    const run = await ponte(['bots', 'start', 'main', '+351912345678', '--var', 'invite']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--var: got "invite"; expected name=value');
    expect(asked).toEqual([]);
  });
});
