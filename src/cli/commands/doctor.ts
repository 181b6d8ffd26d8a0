import { chatwootEndpoints } from '../../chatwoot/endpoints';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../config/errors';
import { loadConfig } from '../../config/load';
import type { PonteConfig } from '../../config/schema';
import { ChatwootClient } from '../../chatwoot/client';
import { ChatwootError } from '../../chatwoot/errors';
import type { CwInbox } from '../../chatwoot/types';
import { cableUrlFor } from '../../chatwoot/realtime/frames';
import { probeCable } from '../../chatwoot/realtime/probe';
import { chromiumProblem, chromiumVersion } from '../../engines/browser/chromium';
import { sandboxDecision } from '../../engines/browser/sandbox';
import { pingRedis } from '../../store/redis-ping';

const CHATWOOT_TIMEOUT_MS = 8000;

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** Everything that must hold before `ponte start` can work; each check says what to do when it fails. */
export async function runChecks(configPath?: string): Promise<Check[]> {
  const checks: Check[] = [];
  let config: PonteConfig;
  try {
    config = loadConfig({ path: configPath });
    checks.push({ name: 'config', ok: true, detail: `${config.sessions.length} session(s)` });
  } catch (err) {
    const detail = err instanceof ConfigError ? err.problems.join('; ') : (err as Error).message;
    checks.push({ name: 'config', ok: false, detail });
    return checks;
  }
  checks.push(await checkRedis(config));
  if (config.chatwoot) checks.push(...(await checkChatwoot(config)));
  checks.push(...checkSessions(config));
  return checks;
}

/** Libraries of the browser engines, as `npm ci` installs them. */
const ENGINE_PACKAGES: Record<string, string> = { wppconnect: '@wppconnect-team/wppconnect', wwebjs: 'whatsapp-web.js' };

/** The browser (once, when a session needs it), each engine's library, and each session's data directory. */
function checkSessions(config: PonteConfig): Check[] {
  const checks: Check[] = [];
  const browserSessions = config.sessions.filter((s) => s.engine in ENGINE_PACKAGES);
  if (browserSessions.length) checks.push(checkBrowser(config));
  for (const s of config.sessions) {
    const dir = path.resolve(config.sessionStore.dir, s.id);
    const dirProblem = writableProblem(dir);
    if (dirProblem) {
      checks.push({ name: `session ${s.id}`, ok: false, detail: `${dirProblem} (sessionStore.dir keeps each session's WhatsApp login)` });
      continue;
    }
    const pkg = ENGINE_PACKAGES[s.engine];
    if (pkg) {
      try {
        require.resolve(pkg);
      } catch {
        checks.push({ name: `session ${s.id}`, ok: false, detail: `the ${s.engine} engine needs the npm package ${pkg}: run npm ci` });
        continue;
      }
    }
    const what = pkg ? `${s.engine} engine (${pkg}) with the browser above` : `${s.engine} engine needs nothing external`;
    checks.push({ name: `session ${s.id}`, ok: true, detail: `${what}; data in ${dir} (writable)` });
  }
  return checks;
}

function checkBrowser(config: PonteConfig): Check {
  const problem = chromiumProblem(config.browser);
  if (problem) return { name: 'browser', ok: false, detail: problem };
  const version = chromiumVersion(config.browser) ?? 'unknown version';
  const sandbox = sandboxDecision(config.browser.sandbox);
  const how = sandbox.sandbox ? `sandboxed (${sandbox.reason})` : `with --no-sandbox (${sandbox.reason})`;
  return {
    name: 'browser',
    ok: true,
    detail: `${version} at ${config.browser.executablePath}${config.browser.headless ? ', headless' : ''}; runs ${how}`,
  };
}

/**
 * Why `dir` cannot hold session data, or undefined. Probes with a real file, since permission bits
 * say nothing of read-only mounts; a directory that does not exist yet is judged by its nearest
 * existing parent, and nothing is left behind.
 */
function writableProblem(dir: string): string | undefined {
  let existing = dir;
  while (!fs.existsSync(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  try {
    if (!fs.statSync(existing).isDirectory()) return `${existing} is not a directory, so ${dir} cannot be created`;
    const probe = fs.mkdtempSync(path.join(existing, '.ponte-doctor-'));
    fs.rmSync(probe, { recursive: true, force: true });
    return undefined;
  } catch (err) {
    return `${dir} is not writable: ${(err as Error).message}`;
  }
}

async function checkRedis(config: PonteConfig): Promise<Check> {
  if (config.redis.url === 'embedded') {
    const found = spawnSync(config.redis.binary, ['--version'], { encoding: 'utf8' });
    return found.status === 0
      ? { name: 'redis', ok: true, detail: `embedded: ${found.stdout.trim().split(' ').slice(0, 3).join(' ')}` }
      : {
          name: 'redis',
          ok: false,
          detail: `embedded mode needs "${config.redis.binary}": install redis-server (scripts/setup.sh) or set redis.url`,
        };
  }
  try {
    await pingRedis(config.redis.url);
    return { name: 'redis', ok: true, detail: `${redactUrl(config.redis.url)} answers PING` };
  } catch (err) {
    return { name: 'redis', ok: false, detail: `${redactUrl(config.redis.url)}: ${(err as Error).message}` };
  }
}

/**
 * The user token works (`GET /api/v1/profile`); with intake websocket, the profile has a pubsub_token,
 * the /cable endpoint accepts a RoomChannel subscription, and a daemon running here says how its socket is.
 */
async function checkChatwoot(config: PonteConfig): Promise<Check[]> {
  const cw = config.chatwoot!;
  const client = new ChatwootClient({
    ...chatwootEndpoints(cw),
    accountId: cw.accountId,
    apiToken: cw.apiToken,
    timeoutMs: CHATWOOT_TIMEOUT_MS,
  });
  let profile: Awaited<ReturnType<ChatwootClient['profile']>>;
  try {
    profile = await client.profile();
  } catch (err) {
    return [
      {
        name: 'chatwoot api',
        ok: false,
        detail: `${cw.baseUrl}: GET /api/v1/profile failed: ${(err as Error).message} (check chatwoot.baseUrl and chatwoot.apiToken)`,
      },
    ];
  }
  const member = !profile.accounts || profile.accounts.some((a) => a.id === cw.accountId);
  const checks: Check[] = [
    member
      ? {
          name: 'chatwoot api',
          ok: true,
          detail: `${cw.baseUrl}: token of user ${profile.id}, member of account ${cw.accountId}; intake ${cw.intake}`,
        }
      : {
          name: 'chatwoot api',
          ok: false,
          detail: `${cw.baseUrl}: the token's user ${profile.id} is not a member of account ${cw.accountId} (chatwoot.accountId)`,
        },
  ];
  if (member) for (const s of config.sessions) if (s.inboxId !== undefined) checks.push(await checkInbox(config, client, s.id, s.inboxId));
  if (cw.intake !== 'websocket' || !member) return checks;
  if (!profile.pubsub_token) {
    checks.push({
      name: 'chatwoot realtime',
      ok: false,
      detail: 'the profile has no pubsub_token: chatwoot.apiToken must be a user token (not an agent bot) for intake websocket',
    });
    return checks;
  }
  const url = cw.websocket.url ?? cableUrlFor(chatwootEndpoints(cw).baseUrl);
  const probe = await probeCable({
    url,
    origin: new URL(cw.baseUrl).origin,
    pubsubToken: profile.pubsub_token,
    accountId: cw.accountId,
    userId: profile.id,
    timeoutMs: CHATWOOT_TIMEOUT_MS,
  });
  checks.push({ name: 'chatwoot realtime', ...probe });
  const running = await runningIntake(config);
  if (running) checks.push(running);
  return checks;
}

/**
 * A session's inbox exists in the account, is an API channel, and (with intake webhook) sends its webhook
 * to this Ponte: each failure with the fix in one line.
 */
async function checkInbox(config: PonteConfig, client: ChatwootClient, session: string, inboxId: number): Promise<Check> {
  const cw = config.chatwoot!;
  const name = `inbox ${inboxId}`;
  let inbox: CwInbox;
  try {
    inbox = await client.inbox(inboxId);
  } catch (err) {
    const missing = err instanceof ChatwootError && err.status === 404;
    return {
      name,
      ok: false,
      detail: missing
        ? `session ${session}: account ${cw.accountId} has no inbox ${inboxId}: create an API-channel inbox (Settings › Inboxes › Add › API) and put its id in sessions[].inboxId`
        : `session ${session}: GET inbox ${inboxId} failed: ${(err as Error).message}`,
    };
  }
  if (inbox.channel_type !== 'Channel::Api') {
    return {
      name,
      ok: false,
      detail: `session ${session}: "${inbox.name}" is a ${inbox.channel_type} inbox; Ponte relays to an API-channel inbox (Settings › Inboxes › Add › API)`,
    };
  }
  if (cw.intake !== 'webhook')
    return { name, ok: true, detail: `session ${session}: API inbox "${inbox.name}" (intake ${cw.intake}: no webhook needed)` };
  const publicUrl = config.http.publicUrl;
  if (!publicUrl)
    return {
      name,
      ok: true,
      detail: `session ${session}: API inbox "${inbox.name}" (set http.publicUrl to have its webhook URL checked too)`,
    };
  const expected = new URL('/webhooks/chatwoot', publicUrl);
  if (cw.webhookToken) expected.searchParams.set('token', cw.webhookToken);
  if (inbox.webhook_url !== expected.toString()) {
    const shown = (u: string) => u.replace(/token=[^&]*/, 'token=***');
    return {
      name,
      ok: false,
      detail: `session ${session}: "${inbox.name}" sends its webhook to ${inbox.webhook_url ? shown(inbox.webhook_url) : 'nowhere'}: set its Webhook URL to ${shown(expected.toString())} (Settings › Inboxes › ${inbox.name} › Configuration)`,
    };
  }
  return { name, ok: true, detail: `session ${session}: API inbox "${inbox.name}" sends its webhook here` };
}

/** The realtime socket of a daemon running with this configuration, from its /readyz; undefined when none answers. */
async function runningIntake(config: PonteConfig): Promise<Check | undefined> {
  const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host;
  let body: { intake?: { realtime?: { state: string; since: string; lastError?: string }; pollIntervalMs?: Record<string, number> } };
  try {
    const res = await fetch(`http://${host}:${config.http.port}/readyz`, { signal: AbortSignal.timeout(2000) });
    body = (await res.json()) as typeof body;
  } catch {
    return undefined;
  }
  const rt = body.intake?.realtime;
  if (!rt) return undefined;
  if (rt.state === 'subscribed') return { name: 'daemon realtime', ok: true, detail: `the running daemon is subscribed since ${rt.since}` };
  return {
    name: 'daemon realtime',
    ok: false,
    detail: `the running daemon's socket is ${rt.state} since ${rt.since}${rt.lastError ? ` (${rt.lastError})` : ''}; agent messages arrive by polling meanwhile`,
  };
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'check the configuration, Redis, Chatwoot (token, realtime socket), Chromium for the browser engines and each session (engine, writable data dir); exits 1 when something is wrong',
    )
    .option('-c, --config <file>', 'configuration file (default config/ponte.yaml or $PONTE_CONFIG)')
    .action(async (opts: { config?: string }) => {
      const checks = await runChecks(opts.config);
      for (const c of checks) process.stdout.write(`${c.ok ? ' ok ' : 'FAIL'}  ${c.name.padEnd(20)} ${c.detail}\n`);
      const failed = checks.filter((c) => !c.ok).length;
      process.stdout.write(failed ? `\n${failed} problem(s) found\n` : '\nall checks passed\n');
      process.exitCode = failed ? 1 : 0;
    });
}
