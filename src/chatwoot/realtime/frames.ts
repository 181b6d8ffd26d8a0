/**
 * ActionCable's wire format (Rails, `actioncable-v1-json`), as Chatwoot's `/cable` speaks it. Pure: no
 * socket here, only what goes over one.
 */
export const CABLE_PROTOCOL = 'actioncable-v1-json';

/** What Chatwoot's RoomChannel subscribes with (app/channels/room_channel.rb; CONTRACTS.md "Realtime"). */
export interface RoomIdentifier {
  channel: 'RoomChannel';
  pubsub_token: string;
  account_id: number;
  user_id: number;
}

export type CableFrame =
  | { type: 'welcome' }
  | { type: 'ping'; at?: number }
  | { type: 'confirm_subscription'; identifier: string }
  | { type: 'reject_subscription'; identifier: string }
  /** The server closing on purpose: `reconnect: false` means "do not come back as you are" (unauthorized). */
  | { type: 'disconnect'; reason?: string; reconnect: boolean }
  /** A broadcast to a subscription: `message` is the channel's payload (`{event, data}` for RoomChannel). */
  | { type: 'message'; identifier: string; message: unknown }
  | { type: 'unknown'; raw: unknown }
  | { type: 'malformed'; error: string };

/** The identifier is a JSON *string*, echoed back verbatim by the server in every frame of the subscription. */
export function roomIdentifier(p: { pubsubToken: string; accountId: number; userId: number }): string {
  const id: RoomIdentifier = { channel: 'RoomChannel', pubsub_token: p.pubsubToken, account_id: p.accountId, user_id: p.userId };
  return JSON.stringify(id);
}

export function subscribeCommand(identifier: string): string {
  return JSON.stringify({ command: 'subscribe', identifier });
}

/** Reads a RoomChannel identifier; undefined when it is not one (wrong channel, missing token, not JSON). */
export function parseRoomIdentifier(identifier: unknown): RoomIdentifier | undefined {
  if (typeof identifier !== 'string') return undefined;
  try {
    const v = JSON.parse(identifier) as Partial<RoomIdentifier>;
    if (!v || v.channel !== 'RoomChannel' || typeof v.pubsub_token !== 'string' || !v.pubsub_token) return undefined;
    return { channel: 'RoomChannel', pubsub_token: v.pubsub_token, account_id: Number(v.account_id), user_id: Number(v.user_id) };
  } catch {
    return undefined;
  }
}

/** Rails echoes the identifier string as sent; a proxy or another server could re-serialize it, so compare parsed. */
export function sameIdentifier(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return canonical(JSON.parse(a)) === canonical(JSON.parse(b));
  } catch {
    return false;
  }
}

function canonical(v: unknown): string {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return JSON.stringify(v);
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

export function parseFrame(raw: string | Buffer): CableFrame {
  let v: unknown;
  try {
    v = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch (err) {
    return { type: 'malformed', error: (err as Error).message };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { type: 'malformed', error: 'not a JSON object' };
  const f = v as { type?: unknown; identifier?: unknown; message?: unknown; reason?: unknown; reconnect?: unknown };
  switch (f.type) {
    case 'welcome':
      return { type: 'welcome' };
    case 'ping':
      return { type: 'ping', at: typeof f.message === 'number' ? f.message : undefined };
    case 'confirm_subscription':
    case 'reject_subscription':
      return typeof f.identifier === 'string' ? { type: f.type, identifier: f.identifier } : { type: 'unknown', raw: v };
    case 'disconnect':
      return { type: 'disconnect', reason: typeof f.reason === 'string' ? f.reason : undefined, reconnect: f.reconnect !== false };
    case undefined:
      // Broadcasts carry no `type`: just the subscription's identifier and the payload.
      if (typeof f.identifier === 'string' && 'message' in f) return { type: 'message', identifier: f.identifier, message: f.message };
      return { type: 'unknown', raw: v };
    default:
      return { type: 'unknown', raw: v };
  }
}

/** ws(s)://host[/prefix]/cable from Chatwoot's base URL (the frontend uses `${websocketHost}/cable`). */
export function cableUrlFor(baseUrl: string): string {
  const u = new URL(baseUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/cable`;
  u.search = '';
  u.hash = '';
  return u.toString();
}
