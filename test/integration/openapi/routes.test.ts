import type { IncomingMessage } from 'node:http';
import { isWebhook } from '../../../src/http/front/webhook-handler';
import type { BotHarness } from '../bots/bot-harness';
import { expressApp, expressRoutes, startFullDaemon } from './full-daemon';
import { loadDocument, operations, shape } from './openapi-doc';

const doc = loadDocument();
const key = (method: string, path: string) => `${method.toUpperCase()} ${shape(path)}`;
/** Does the front thread answer this request itself (instead of passing it to the main thread)? */
const front = (method: string, path: string) => isWebhook({ method: method.toUpperCase(), url: path } as IncomingMessage);

describe('the OpenAPI document against a running daemon with every feature configured', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startFullDaemon();
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('every route the daemon serves is documented, and every documented operation is served', () => {
    const documented = operations(doc).map((o) => key(o.method, o.path));
    const mainThread = expressRoutes(expressApp(h)).map((r) => key(r.method, r.path));
    // The front thread has no route table: it takes what isWebhook() says and passes on the rest.
    const frontThread = [...documented, ...mainThread].filter((k) => front(k.split(' ')[0], k.split(' ')[1].replace(/\{\}/g, 'x')));
    expect(mainThread.length).toBeGreaterThan(20);
    expect(frontThread).toEqual(['POST /webhooks/chatwoot']);
    const served = [...new Set([...mainThread, ...frontThread])].sort();
    expect(served).toEqual([...new Set(documented)].sort());
  });

  test('the front thread answers the documented webhook itself: the main thread has no such route', () => {
    const mainThread = expressRoutes(expressApp(h)).map((r) => key(r.method, r.path));
    expect(mainThread).not.toContain('POST /webhooks/chatwoot');
    // Any other method on that path goes to the main thread, which serves none.
    for (const method of ['GET', 'PUT', 'DELETE']) expect(front(method, '/webhooks/chatwoot')).toBe(false);
  });
});
