import { formatPath } from '../config/errors';
import { sessionProblems, sessionSchema, type SessionConfig } from '../config/schema';
import type { Logger } from '../observability/logger';
import type { RuntimeSessionStore } from '../store/runtime-sessions';
import type { SessionDirectory } from './directory';

export type RefusalCode =
  'invalid_request' | 'session_exists' | 'config_session' | 'unknown_session' | 'inbox_taken' | 'inbox_not_created' | 'not_configured';

/** A change the admin asked for that cannot be made, with what is wrong (every problem, by key path). */
export class SessionChangeRefused extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = 'SessionChangeRefused';
  }
}

/** Creates the Chatwoot inbox of a new session (an API channel whose webhook points at this Ponte). */
export interface InboxCreator {
  create(name: string): Promise<{ id: number; secret?: string; webhookUrl: string }>;
}

/** Starts and stops sessions in the daemon (engine, relays, lease). */
export interface SessionRunner {
  launch(session: SessionConfig): Promise<void>;
  /** With `logout`, the phone is unpaired and the session's data deleted; `warning` says what could not be done. */
  stop(id: string, logout: boolean): Promise<{ warning?: string }>;
}

export interface RuntimeSessionsDeps {
  store: RuntimeSessionStore;
  directory: SessionDirectory;
  runner: SessionRunner;
  /** The rest of the configuration, for the rules a session shares with the file's (chatwoot, bots). */
  config: { chatwoot?: unknown; typebot?: { bots: Record<string, unknown> } };
  /** Present with the chatwoot section. */
  inboxes?: InboxCreator;
  logger: Logger;
}

export interface AddOptions {
  /** Create the session's Chatwoot inbox (named `inboxName`, default "WhatsApp <id>") instead of naming one. */
  createInbox?: boolean;
  inboxName?: string;
}

type Json = Record<string, unknown>;

/**
 * Sessions created, changed and removed while the daemon runs, validated by the same schema as the
 * configuration file and kept in Redis. The file wins: a session it defines cannot be changed or removed
 * here, and a stored session with the id of one of the file's is ignored (with a warning) at start.
 */
export class RuntimeSessions {
  constructor(private readonly deps: RuntimeSessionsDeps) {}

  /** The stored sessions, built and started at daemon start (after the file's). */
  async load(): Promise<SessionConfig[]> {
    const out: SessionConfig[] = [];
    for (const [id, text] of await this.deps.store.all()) {
      const built = this.build(id, text);
      if (built) out.push(built);
    }
    return out;
  }

  async add(input: unknown, options: AddOptions = {}): Promise<SessionConfig> {
    const { directory, config } = this.deps;
    const raw = asObject(input, 'the session');
    let session = parse(raw);
    if (directory.get(session.id)) {
      const where = directory.source(session.id) === 'config' ? 'in the configuration file' : 'already (added at run time)';
      throw new SessionChangeRefused(
        'session_exists',
        `session "${session.id}" exists ${where}; choose another id or change it with PATCH /admin/sessions/${session.id}`,
      );
    }
    if (options.createInbox && session.inboxId !== undefined) {
      throw new SessionChangeRefused('invalid_request', 'createInbox: the session names inboxId already; give one or the other');
    }
    const problems = sessionProblems(config, session).filter((p) => !(options.createInbox && p.path[0] === 'inboxId'));
    if (problems.length) throw refusedFor(problems);
    if (session.inboxId !== undefined) this.assertInboxFree(session.inboxId, session.id);
    const stored: Json = { ...raw };
    if (options.createInbox) {
      const inbox = await this.createInbox(options.inboxName ?? `WhatsApp ${session.id}`);
      stored.inboxId = inbox.id;
      if (inbox.secret) stored.webhookSecret = inbox.secret;
      session = parse(stored);
      this.deps.logger.info(
        { session: session.id, inboxId: inbox.id, webhookUrl: inbox.webhookUrl, signed: Boolean(inbox.secret) },
        'Chatwoot inbox created for the session',
      );
    }
    await this.deps.store.save(session.id, stored);
    directory.put(session, 'runtime');
    await this.deps.runner.launch(session);
    this.deps.logger.info({ session: session.id, engine: session.engine, inboxId: session.inboxId }, 'session added at run time');
    return session;
  }

  /** A JSON merge patch (RFC 7386: null removes a key) of what was stored; the session restarts with it. */
  async change(id: string, patch: unknown): Promise<SessionConfig> {
    const current = await this.stored(id);
    const changes = asObject(patch, 'the changes');
    if ('id' in changes && changes.id !== id)
      throw new SessionChangeRefused('invalid_request', 'id: a session cannot be renamed; add a new one and remove this one');
    const merged = mergePatch(current, changes);
    const session = parse(merged);
    const problems = sessionProblems(this.deps.config, session);
    if (problems.length) throw refusedFor(problems);
    if (session.inboxId !== undefined) this.assertInboxFree(session.inboxId, id);
    await this.deps.store.save(id, merged);
    // Stopped without logging out: the phone stays paired, the restart uses its saved login.
    await this.deps.runner.stop(id, false);
    this.deps.directory.put(session, 'runtime');
    await this.deps.runner.launch(session);
    this.deps.logger.info({ session: id, changed: Object.keys(changes) }, 'session changed at run time');
    return session;
  }

  /** Logs the number out, deletes its data and forgets the session. */
  async remove(id: string): Promise<{ warning?: string }> {
    await this.stored(id);
    const result = await this.deps.runner.stop(id, true);
    await this.deps.store.delete(id);
    this.deps.directory.remove(id);
    this.deps.logger.info({ session: id }, 'session removed at run time');
    return result;
  }

  /**
   * Brings this daemon in line with what the Redis holds (sessions another daemon sharing it added,
   * changed or removed). Returns how many sessions it touched.
   */
  async reconcile(): Promise<number> {
    const { directory, runner } = this.deps;
    const stored = await this.deps.store.all();
    let touched = 0;
    for (const [id, text] of stored) {
      if (directory.source(id) === 'config') continue;
      const built = this.build(id, text);
      if (!built) continue;
      const now = directory.get(id);
      if (now && JSON.stringify(now) === JSON.stringify(built)) continue;
      if (now) await runner.stop(id, false);
      directory.put(built, 'runtime');
      await runner.launch(built);
      touched += 1;
    }
    for (const s of directory.all()) {
      if (directory.source(s.id) !== 'runtime' || stored.has(s.id)) continue;
      await runner.stop(s.id, false);
      directory.remove(s.id);
      touched += 1;
    }
    return touched;
  }

  private build(id: string, text: string): SessionConfig | undefined {
    const log = this.deps.logger;
    if (this.deps.directory.source(id) === 'config') {
      log.warn(
        { session: id },
        'a session added at run time has the id of one in the configuration file: the file wins, the stored one is ignored',
      );
      return undefined;
    }
    try {
      const session = parse(JSON.parse(text) as Json);
      const problems = sessionProblems(this.deps.config, session);
      if (problems.length) throw refusedFor(problems);
      return session;
    } catch (err) {
      log.error(
        { session: id, problem: (err as Error).message },
        'a session added at run time is not valid under this configuration: not started',
      );
      return undefined;
    }
  }

  private async stored(id: string): Promise<Json> {
    const source = this.deps.directory.source(id);
    if (source === 'config')
      throw new SessionChangeRefused(
        'config_session',
        `session "${id}" is defined in the configuration file, which wins: change or remove it there`,
      );
    const text = (await this.deps.store.all()).get(id);
    if (!text || !source) throw new SessionChangeRefused('unknown_session', `no session "${id}" was added at run time`);
    return JSON.parse(text) as Json;
  }

  private assertInboxFree(inboxId: number, id: string): void {
    const other = this.deps.directory.forInbox(inboxId);
    if (other && other !== id)
      throw new SessionChangeRefused(
        'inbox_taken',
        `inboxId: inbox ${inboxId} already belongs to session "${other}"; one inbox relays one number`,
      );
  }

  private async createInbox(name: string): Promise<{ id: number; secret?: string; webhookUrl: string }> {
    if (!this.deps.inboxes)
      throw new SessionChangeRefused('not_configured', 'createInbox: there is no chatwoot section to create the inbox in');
    try {
      return await this.deps.inboxes.create(name);
    } catch (err) {
      throw new SessionChangeRefused('inbox_not_created', `the Chatwoot inbox could not be created: ${(err as Error).message}`);
    }
  }
}

function parse(raw: Json): SessionConfig {
  const result = sessionSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
  throw new SessionChangeRefused('invalid_request', problems.join('; '), problems);
}

function refusedFor(problems: Array<{ path: string[]; message: string }>): SessionChangeRefused {
  const lines = problems.map((p) => `${p.path.join('.')}: ${p.message}`);
  return new SessionChangeRefused('invalid_request', lines.join('; '), lines);
}

function asObject(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new SessionChangeRefused('invalid_request', `${what} must be a JSON object`);
  return value as Json;
}

/** RFC 7386: objects merge key by key, null deletes, anything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  const out: Json = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (typeof v === 'object' && !Array.isArray(v) && typeof out[k] === 'object' && out[k] !== null && !Array.isArray(out[k]))
      out[k] = mergePatch(out[k] as Json, v as Json);
    else out[k] = v;
  }
  return out;
}
