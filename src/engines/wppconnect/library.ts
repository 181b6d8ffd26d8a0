import type { CreateOptions, Whatsapp } from '@wppconnect-team/wppconnect';
import type { Logger } from '../../observability/logger';

/** The library's client; everything Ponte calls on it goes through page.evaluate. */
export type WppClient = Whatsapp;
export type WppCreateOptions = CreateOptions;
export type CreateClient = (options: WppCreateOptions) => Promise<WppClient>;

type WppconnectModule = typeof import('@wppconnect-team/wppconnect');

let loaded: WppconnectModule | undefined;

/**
 * Loaded on first use. Loading it installs a process-wide 'unhandledRejection' handler that prints through
 * the library's own console logger and keeps the process alive whatever failed: it is removed, and the
 * rejections it leaks from its page timers reach the daemon's process guard (core/process-guard.ts),
 * which logs them once, redacted, and restarts the session they belong to.
 */
export function wppconnect(): WppconnectModule {
  if (!loaded) {
    const before = new Set(process.listeners('unhandledRejection'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, synchronously, to catch the handler it installs
    loaded = require('@wppconnect-team/wppconnect') as WppconnectModule;
    for (const l of process.listeners('unhandledRejection')) if (!before.has(l)) process.off('unhandledRejection', l);
  }
  return loaded;
}

export const realCreate: CreateClient = (options) => wppconnect().create(options);

type Level = 'error' | 'warn' | 'info' | 'http' | 'verbose' | 'debug' | 'silly';

/**
 * The winston-shaped logger wppconnect writes to, on top of a pino child. The library is chatty at
 * info (every page load, every QR) and Ponte reports what matters as state changes: info and below go
 * to debug/trace.
 */
export function libraryLogger(logger: Logger): unknown {
  const write = (level: Level, message: unknown, meta?: Record<string, unknown>) => {
    const { session: _session, type, ...rest } = meta ?? {};
    const fields: Record<string, unknown> = { lib: 'wppconnect', ...(type ? { area: type } : {}) };
    if (message instanceof Error) fields.err = message;
    if (rest.err instanceof Error) fields.err = rest.err;
    // Other meta is dropped: the library puts QR payloads into `code`, a credential while it is valid.
    const text = message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    switch (level) {
      case 'error':
        return logger.error(fields, text);
      case 'warn':
        return logger.warn(fields, text);
      case 'info':
        return logger.debug(fields, text);
      default:
        return logger.trace(fields, text);
    }
  };
  const method = (level: Level) => (message: unknown, meta?: Record<string, unknown>) => write(level, message, meta);
  return {
    log: (entry: { level: Level; message: unknown; [k: string]: unknown } | Level, message?: unknown, meta?: Record<string, unknown>) => {
      if (typeof entry === 'string') return write(entry, message, meta);
      const { level, message: msg, ...rest } = entry;
      return write(level, msg, rest);
    },
    error: method('error'),
    warn: method('warn'),
    info: method('info'),
    http: method('http'),
    verbose: method('verbose'),
    debug: method('debug'),
    silly: method('silly'),
  };
}
