import { EventEmitter } from 'node:events';
import type { SessionConfig } from '../config/schema';

/** Where a session is defined: the configuration file, or added at run time (kept in Redis). */
export type SessionSource = 'config' | 'runtime';

export interface DirectoryEntry {
  config: SessionConfig;
  source: SessionSource;
}

/**
 * The sessions' settings as they are now. The relays look settings up here on every use instead of
 * copying them at start, so a session added, changed or removed while the daemon runs is relayed with
 * its current settings. Events: 'added' (config), 'changed' (config, previous), 'removed' (config).
 */
export class SessionDirectory extends EventEmitter {
  private readonly entries = new Map<string, DirectoryEntry>();

  constructor(fromFile: SessionConfig[]) {
    super();
    for (const config of fromFile) this.entries.set(config.id, { config, source: 'config' });
  }

  get(id: string): SessionConfig | undefined {
    return this.entries.get(id)?.config;
  }

  source(id: string): SessionSource | undefined {
    return this.entries.get(id)?.source;
  }

  all(): SessionConfig[] {
    return [...this.entries.values()].map((e) => e.config);
  }

  /** The session relaying an inbox. */
  forInbox(inboxId: number): string | undefined {
    for (const e of this.entries.values()) if (e.config.inboxId === inboxId) return e.config.id;
    return undefined;
  }

  /** Inbox id -> session id, for the front thread. */
  inboxes(): Array<[number, string]> {
    return this.all().flatMap((s) => (s.inboxId ? [[s.inboxId, s.id] as [number, string]] : []));
  }

  /** Inboxes with a webhook secret of their own (sessions[].webhookSecret). */
  inboxSecrets(): Array<[number, string]> {
    return this.all().flatMap((s) => (s.inboxId && s.webhookSecret ? [[s.inboxId, s.webhookSecret] as [number, string]] : []));
  }

  put(config: SessionConfig, source: SessionSource): void {
    const previous = this.entries.get(config.id);
    this.entries.set(config.id, { config, source });
    if (previous) this.emit('changed', config, previous.config);
    else this.emit('added', config);
  }

  remove(id: string): void {
    const previous = this.entries.get(id);
    if (!previous) return;
    this.entries.delete(id);
    this.emit('removed', previous.config);
  }
}
