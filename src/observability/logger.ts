import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Keys whose values are secrets: replaced by "[redacted]" wherever they appear (two levels deep). */
const SECRET_KEYS = [
  'token',
  'adminToken',
  'apiToken',
  'api_access_token',
  'authorization',
  'Authorization',
  'password',
  'secret',
  'webhookSecret',
  'webhookToken',
  'cookie',
];
/** Message content is never logged, at any level. */
const BODY_KEYS = ['text', 'body', 'content', 'caption', 'vcard', 'vcards', 'media'];
/** Keys holding phone numbers or WhatsApp ids: masked to the last 4 digits unless the level is debug or lower. */
const PHONE_KEYS = new Set(['phone', 'from', 'to', 'chatId', 'jid', 'author', 'number', 'me']);

function redactPaths(): string[] {
  const keys = [...SECRET_KEYS, ...BODY_KEYS];
  const paths = new Set<string>();
  for (const k of keys) {
    paths.add(k);
    paths.add(`*.${k}`);
    paths.add(`*.*.${k}`);
  }
  for (const h of ['authorization', 'api_access_token', 'x-chatwoot-signature', 'cookie']) {
    paths.add(`headers["${h}"]`);
    paths.add(`*.headers["${h}"]`);
  }
  return [...paths];
}

/** `+351912345678` -> `•••5678`; works on bare numbers and WhatsApp ids (`...@c.us`). */
export function maskPhoneLike(value: string): string {
  return value.replace(/\+?\d{5,}/g, (digits) => `•••${digits.slice(-4)}`);
}

/** Masks phone-like values under known keys, two levels deep (a log call's fields and their objects). */
function maskPhones(obj: Record<string, unknown>, depth = 0): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(obj)) {
    let next: unknown = v;
    if (PHONE_KEYS.has(k) && typeof v === 'string') next = maskPhoneLike(v);
    else if (depth < 1 && v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Error))
      next = maskPhones(v as Record<string, unknown>, depth + 1);
    if (next !== v) {
      copy ??= { ...obj };
      copy[k] = next;
    }
  }
  return copy ?? obj;
}

export interface LogSettings {
  level: string;
  pretty: boolean;
}

export function createLogger(settings: LogSettings, destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { app: 'ponte' },
    redact: { paths: redactPaths(), censor: '[redacted]' },
    hooks: {
      // Phone numbers are personal data: only debug/trace logs (opt-in, local) show them whole.
      logMethod(args, method, level) {
        if (level >= 30 && args[0] && typeof args[0] === 'object' && !(args[0] instanceof Error)) {
          args[0] = maskPhones(args[0] as Record<string, unknown>);
        }
        return method.apply(this, args);
      },
    },
    serializers: { err: pino.stdSerializers.err },
  };
  if (destination) return pino(options, destination);
  if (settings.pretty) {
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', singleLine: true, ignore: 'app,pid,hostname' },
      },
    });
  }
  // Synchronous stdout: with pino's async default, the lines written just before process.exit (shutdown,
  // crash) can come out of order or be lost, because exit-time flushSync overtakes the write in flight.
  return pino(options, pino.destination({ dest: 1, sync: true }));
}

/** One child logger per module, so every line says where it came from. */
export function moduleLogger(root: Logger, module: string, bindings: Record<string, unknown> = {}): Logger {
  return root.child({ module, ...bindings });
}
