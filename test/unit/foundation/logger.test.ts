import { createLogger, maskPhoneLike, moduleLogger, type Logger } from '../../../src/observability/logger';

/** A logger writing into an array of parsed JSON lines (and the raw text, to search for leaks). */
function capture(level = 'info'): { logger: Logger; lines: Array<Record<string, any>>; raw: () => string } {
  const chunks: string[] = [];
  const logger = createLogger({ level, pretty: false }, { write: (s: string) => void chunks.push(s) });
  return {
    logger,
    get lines() {
      return chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, any>);
    },
    raw: () => chunks.join(''),
  };
}

const SECRET = 'S3CR3T-value-that-must-not-leak';

describe('log redaction of secrets', () => {
  test.each([
    'token',
    'adminToken',
    'authorization',
    'Authorization',
    'api_access_token',
    'apiToken',
    'password',
    'webhookSecret',
    'cookie',
  ])('%s is redacted at the top level, one and two levels deep', (key) => {
    const c = capture();
    c.logger.info({ [key]: SECRET }, 'top');
    c.logger.info({ request: { [key]: SECRET } }, 'one deep');
    c.logger.info({ chatwoot: { request: { [key]: SECRET } } }, 'two deep');
    expect(c.raw()).not.toContain(SECRET);
    const [top, one, two] = c.lines;
    expect(top[key]).toBe('[redacted]');
    expect(one.request[key]).toBe('[redacted]');
    expect(two.chatwoot.request[key]).toBe('[redacted]');
  });

  test('HTTP headers carrying credentials are redacted, other headers kept', () => {
    const c = capture();
    c.logger.warn({ headers: { authorization: `Bearer ${SECRET}`, api_access_token: SECRET, 'content-type': 'application/json' } }, 'req');
    c.logger.warn({ req: { headers: { authorization: `Bearer ${SECRET}`, 'user-agent': 'x' } } }, 'nested req');
    expect(c.raw()).not.toContain(SECRET);
    expect(c.lines[0].headers['content-type']).toBe('application/json');
    expect(c.lines[1].req.headers['user-agent']).toBe('x');
  });

  test('secrets bound to a child logger are redacted too', () => {
    const c = capture();
    moduleLogger(c.logger, 'chatwoot', { apiToken: SECRET }).info('bound');
    expect(c.raw()).not.toContain(SECRET);
    expect(c.lines[0].module).toBe('chatwoot');
  });

  test('non-secret fields are left alone', () => {
    const c = capture();
    c.logger.info({ session: 'main', attempt: 3, state: 'CONNECTED' }, 'fine');
    expect(c.lines[0]).toMatchObject({ session: 'main', attempt: 3, state: 'CONNECTED', msg: 'fine', app: 'ponte' });
  });
});

describe('message bodies are never logged', () => {
  const BODY = 'hello, this is a private message body';
  test.each(['trace', 'debug', 'info', 'warn', 'error'] as const)('at %s', (level) => {
    const c = capture('trace');
    c.logger[level]({ text: BODY, content: BODY, caption: BODY }, 'top');
    c.logger[level]({ message: { text: BODY, caption: BODY, content: BODY, id: 'M1' } }, 'one deep');
    c.logger[level]({ job: { message: { text: BODY, content: BODY, caption: BODY } } }, 'two deep');
    expect(c.lines).toHaveLength(3);
    expect(c.raw()).not.toContain(BODY);
    expect(c.lines[1].message.id).toBe('M1');
  });
});

describe('phone numbers', () => {
  const PHONE = '+351912345678';
  const JID = '351912345678@c.us';

  test('are masked to the last 4 digits at info and above', () => {
    const c = capture('debug');
    c.logger.info({ phone: PHONE, from: JID, to: JID, chatId: JID }, 'info');
    c.logger.warn({ from: JID }, 'warn');
    c.logger.error({ chatId: JID }, 'error');
    const [info, warn, error] = c.lines;
    expect(info).toMatchObject({ phone: '•••5678', from: '•••5678@c.us', to: '•••5678@c.us', chatId: '•••5678@c.us' });
    expect(warn.from).toBe('•••5678@c.us');
    expect(error.chatId).toBe('•••5678@c.us');
    expect(c.raw()).not.toContain('351912345678');
  });

  test('are whole at debug (opt-in local troubleshooting)', () => {
    const c = capture('debug');
    c.logger.debug({ phone: PHONE, from: JID }, 'debug');
    expect(c.lines[0]).toMatchObject({ phone: PHONE, from: JID });
  });

  test('debug lines are not written at the default info level', () => {
    const c = capture('info');
    c.logger.debug({ phone: PHONE }, 'debug');
    expect(c.lines).toHaveLength(0);
  });

  test('masking does not modify the caller object', () => {
    const c = capture();
    const fields = { from: JID };
    c.logger.info(fields, 'x');
    expect(fields.from).toBe(JID);
  });

  test('maskPhoneLike keeps short numbers and non-numbers', () => {
    expect(maskPhoneLike(PHONE)).toBe('•••5678');
    expect(maskPhoneLike('120363041234567890@g.us')).toBe('•••7890@g.us');
    expect(maskPhoneLike('attempt 3 of 12')).toBe('attempt 3 of 12');
    expect(maskPhoneLike('main')).toBe('main');
  });
});

describe('module loggers', () => {
  test('every line of a module logger names the module', () => {
    const c = capture();
    const log = moduleLogger(c.logger, 'sessions', { session: 'main' });
    log.info('a');
    log.warn({ extra: 1 }, 'b');
    expect(c.lines.map((l) => [l.module, l.session])).toEqual([
      ['sessions', 'main'],
      ['sessions', 'main'],
    ]);
  });

  test('errors are serialised with their message', () => {
    const c = capture();
    c.logger.error({ err: new Error('boom') }, 'failed');
    expect(c.lines[0].err).toMatchObject({ type: 'Error', message: 'boom' });
  });
});
