/**
 * WhatsApp Web's ids as its page code sees them (`WAWebWidFactory`): objects with `user`, `server`,
 * `_serialized` and a few predicates. Sent to Node they lose their methods, as puppeteer's
 * serialisation drops functions.
 */
export interface Wid {
  user: string;
  server: string;
  _serialized: string;
  isLid(): boolean;
  isUser(): boolean;
  isGroup(): boolean;
  toString(): string;
}

export function createWid(id: string | { _serialized?: string; user?: string; server?: string }): Wid {
  const serialized = typeof id === 'string' ? id : (id._serialized ?? `${id.user}@${id.server}`);
  if (!serialized.includes('@')) throw new Error(`fake WhatsApp Web: createWid of a malformed id ${serialized}`);
  const [user, server] = serialized.split('@');
  return {
    user,
    server,
    _serialized: serialized,
    isLid: () => server === 'lid',
    isUser: () => server === 'c.us' || server === 'lid',
    isGroup: () => server === 'g.us',
    toString: () => serialized,
  };
}

/** Whatever form a page function hands in (a Wid, a MsgKey's remote, a string): the serialised id. */
export function idOf(id: unknown): string {
  if (typeof id === 'string') return id;
  if (id && typeof id === 'object' && typeof (id as { _serialized?: unknown })._serialized === 'string')
    return (id as { _serialized: string })._serialized;
  throw new Error(`fake WhatsApp Web: not an id: ${JSON.stringify(id)}`);
}
