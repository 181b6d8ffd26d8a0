import type { Express } from 'express';
import { fileInput, textInput, type FlowDefinition } from '../../fakes/typebot';
import { startBotHarness, type BotHarness } from '../bots/bot-harness';

export const REGISTRATION_SECRET = 'registration-secret-for-openapi-tests';
export const HOOK_TOKEN = 'registration-hook-token-for-openapi-tests';

/** A photo, then a text: a chat waits in the flow after the photo (listed by /admin/bots as `bot`). */
const photoFlow: FlowDefinition = {
  steps: [
    { bubbles: ['Envie uma foto do recibo.'], input: fileInput('Recibo') },
    { bubbles: ['Qual é o número da encomenda?'], input: textInput('Encomenda') },
    { bubbles: ['Obrigado!'] },
  ],
};

/**
 * A daemon with every feature that adds routes: Chatwoot (webhook, dead letters), a Typebot bot on the
 * session (media links, /admin/bots), registration (hook, /admin/registrations), and a second simulator
 * session that starts unpaired (login, QR code, logout). Chatwoot does not call the webhook by itself
 * (the tests post it, signed, to read the answers), and catch-up waits minutes between passes, so no
 * message reaches WhatsApp by any road but the one a test takes.
 */
export async function startFullDaemon(): Promise<BotHarness> {
  const main = {
    id: 'main',
    engine: 'simulator',
    inboxId: 1,
    bot: 'helper',
    simulator: { ackIntervalMs: 50 },
    pacing: { minGapMs: 0, jitterMs: 0, typing: false },
  };
  const pairing = { id: 'pairing', engine: 'simulator', inboxId: 2, simulator: { requireQr: true } };
  return startBotHarness(
    { recibo: photoFlow, registo: { steps: [{ bubbles: ['Nome?'], input: textInput('nome_completo') }] } },
    {},
    { webhook: false, fake: { inboxes: [{ id: 1 }, { id: 2 }] } },
    (typebot) => ({
      sessions: [main, pairing],
      typebot: {
        bots: {
          helper: { baseUrl: typebot.url, publicId: 'recibo', debounceMs: 0, expiryMinutes: 240 },
          drivers: { baseUrl: typebot.url, publicId: 'registo', debounceMs: 0, expiryMinutes: 240 },
        },
      },
      // Nothing valid is ever posted, so nothing is delivered: the endpoint is never called.
      registration: { bot: 'drivers', endpoint: 'http://127.0.0.1:9/drivers', secret: REGISTRATION_SECRET, hookToken: HOOK_TOKEN },
      catchup: { minIntervalMs: 60_000, maxIntervalMs: 600_000 },
    }),
  );
}

/** The main thread's express app (behind the front thread, on loopback). */
export function expressApp(h: BotHarness): Express {
  return h.daemon.http.server.listeners('request')[0] as unknown as Express;
}

interface Layer {
  rawPath?: string | string[];
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/**
 * Every `method path` the app routes to a handler, read from express's router stack (mounted routers
 * included, paths joined). Middleware without a route (authentication, body parsing, not-found) is
 * not a route.
 */
export function expressRoutes(app: Express): Array<{ method: string; path: string }> {
  const out: Array<{ method: string; path: string }> = [];
  const join = (prefix: string, p: string) => (p === '/' ? prefix || '/' : `${prefix}${p}`);
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const p of ([] as string[]).concat(layer.route.path)) {
          for (const [method, on] of Object.entries(layer.route.methods))
            if (on && method !== '_all') out.push({ method, path: join(prefix, p) });
        }
      } else if (layer.handle.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, `${prefix}${mount}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return out;
}
