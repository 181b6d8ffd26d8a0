import path from 'node:path';
import WAWebJS from 'whatsapp-web.js';
import type { SessionConfig } from '../../config/schema';
import { chromiumArgs, proxyArgs, proxyCredentials } from '../browser/chromium';
import type { EngineContext } from '../factory';

/** WhatsApp regenerates a pairing code every 3 minutes; the library's default interval matches it. */
export const PAIRING_CODE_TTL_MS = 180_000;

/** Where LocalAuth keeps the Chromium profile (the WhatsApp login) of this session. */
export function profileDirOf(session: Pick<SessionConfig, 'id'>, ctx: Pick<EngineContext, 'dataDir'>): string {
  return path.join(path.resolve(ctx.dataDir), `session-${session.id}`);
}

/**
 * The whatsapp-web.js options Ponte runs with. Every default that bites is set on purpose:
 * - LocalAuth owns the profile: puppeteer.userDataDir must stay unset or LocalAuth throws at start.
 * - qrMaxRetries 0: the library would otherwise give up on its own; Ponte owns the pairing timeout.
 * - puppeteer's signal handlers off: its SIGINT handler calls process.exit(130) and would cut the
 *   daemon's graceful shutdown short; Ponte closes its browsers itself.
 * - a session's proxy: --proxy-server, and proxyAuthentication for an HTTP proxy's credentials.
 * - webVersion / webVersionCache from `browser.wwebjs`: pinning a WhatsApp Web build is the way out when
 *   WhatsApp ships one that breaks the library. A relative local cache path lives in the session's data
 *   directory, not in the daemon's working directory (the library's default); the local cache also
 *   saves each live build it loads, so there is something to pin to the day it is needed.
 */
export function clientOptions(
  session: Pick<SessionConfig, 'id' | 'proxy'>,
  ctx: Pick<EngineContext, 'browser' | 'dataDir'>,
  pairingPhone?: string,
): WAWebJS.ClientOptions {
  const { browser } = ctx;
  const options: WAWebJS.ClientOptions = {
    authStrategy: new WAWebJS.LocalAuth({ clientId: session.id, dataPath: path.resolve(ctx.dataDir) }),
    puppeteer: {
      executablePath: browser.executablePath,
      headless: browser.headless,
      args: [...chromiumArgs(browser), ...proxyArgs(session.proxy)],
      timeout: browser.launchTimeoutMs,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    },
    ...webVersionOptions(ctx),
    // How long WhatsApp Web's scripts may take to appear after the page loaded; 0 would mean 30 s.
    authTimeoutMs: browser.launchTimeoutMs || 60_000,
    qrMaxRetries: 0,
    takeoverOnConflict: false,
    // The name the phone lists under "Linked devices", so people know which device is Ponte.
    deviceName: 'Ponte',
  };
  // The library answers the proxy's challenge itself (Client.initialize: page.authenticate) before loading WhatsApp Web.
  const credentials = proxyCredentials(session.proxy);
  if (credentials) options.proxyAuthentication = credentials;
  const digits = pairingPhone?.replace(/\D/g, '');
  if (digits) options.pairWithPhoneNumber = { phoneNumber: digits, showNotification: true, intervalMs: PAIRING_CODE_TTL_MS };
  return options;
}

/** `browser.wwebjs` as the library takes it (Client.js initWebVersionCache, webCache/*.js). */
export function webVersionOptions(
  ctx: Pick<EngineContext, 'browser' | 'dataDir'>,
): Pick<WAWebJS.ClientOptions, 'webVersion' | 'webVersionCache'> {
  const { webVersion, webVersionCache: cache } = ctx.browser.wwebjs;
  const webVersionCache: WAWebJS.WebCacheOptions =
    cache.type === 'local'
      ? { type: 'local', path: path.resolve(ctx.dataDir, cache.path ?? '.wwebjs_cache') }
      : cache.type === 'remote'
        ? { type: 'remote', remotePath: cache.remotePath, strict: cache.strict }
        : { type: 'none' };
  return { ...(webVersion ? { webVersion } : {}), webVersionCache };
}
