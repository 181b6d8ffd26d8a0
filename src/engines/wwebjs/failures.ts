import type { SessionState } from '../types';

/** What a failed start or a lost connection means for the session, in words an operator can act on. */
export interface Failure {
  state: Extract<SessionState, 'TRANSIENT_DISCONNECT' | 'LOGGED_OUT' | 'BAD_CREDENTIALS'>;
  reason: string;
  /** The stored login is dead: delete it so the next start asks for a fresh pairing. */
  deleteLogin?: boolean;
}

/** whatsapp-web.js throws Errors, bare strings ('auth timeout') and, from the page, plain objects. */
export function describeError(err: unknown): string {
  if (typeof err === 'string') return err;
  if (err instanceof Error) return err.message.split('\n')[0];
  if (err && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string')
    return (err as { message: string }).message.split('\n')[0];
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}

const transient = (reason: string): Failure => ({ state: 'TRANSIENT_DISCONNECT', reason });

/** Why `client.initialize()` (or a later re-injection of WhatsApp Web) failed. */
export function startFailure(err: unknown): Failure {
  const text = describeError(err);
  if (text === 'auth timeout') {
    return transient(
      "WhatsApp Web did not finish loading in time ('auth timeout' from whatsapp-web.js): slow or filtered network, or WhatsApp changed its page",
    );
  }
  if (text === 'ready timeout')
    return transient("WhatsApp Web loaded but its helpers did not start ('ready timeout' from whatsapp-web.js)");
  const net = /net::(ERR_[A-Z_]+)/.exec(text)?.[1];
  if (net === 'ERR_NAME_NOT_RESOLVED')
    return transient('cannot resolve web.whatsapp.com (net::ERR_NAME_NOT_RESOLVED): no network or DNS on this host');
  if (net === 'ERR_INTERNET_DISCONNECTED') return transient('no network on this host (net::ERR_INTERNET_DISCONNECTED)');
  if (net && /PROXY|TUNNEL/.test(net))
    return transient(`the proxy in front of Chromium refused the connection (net::${net}): check browser.extraArgs`);
  if (net) return transient(`cannot reach web.whatsapp.com (net::${net})`);
  if (/Failed to launch the browser process|spawn .*ENOENT|Browser was not found|Could not find .*executable/i.test(text)) {
    return transient(`Chromium could not start (${text}): check browser.executablePath and run "ponte doctor"`);
  }
  if (/Timed out after \d+ ms while waiting for the WS endpoint/i.test(text)) {
    return transient(`Chromium did not start in time (${text}): raise browser.launchTimeoutMs or check the host's load`);
  }
  if (/already running for|ProcessSingleton|SingletonLock/i.test(text)) {
    return transient(`another Chromium still holds this session's profile (${text})`);
  }
  if (/Target closed|Session closed|Protocol error|detached|Execution context was destroyed|Connection closed/i.test(text)) {
    return transient(`Chromium closed or the WhatsApp Web page crashed (${text})`);
  }
  return transient(`WhatsApp Web failed to start: ${text}`);
}

/**
 * Why WhatsApp gave no pairing code. A page that reloaded or died under the request is worth a fresh
 * start; any other answer is WhatsApp's (a number it does not accept, too many attempts) and needs the
 * operator: asking again at once would only count as one more attempt.
 */
export function pairingCodeFailure(err: unknown, sessionId: string): Failure {
  const text = describeError(err);
  if (/Target closed|Session closed|Protocol error|detached|Execution context was destroyed|Connection closed/i.test(text)) {
    return transient(`the pairing code request was interrupted (${text}); starting WhatsApp Web again`);
  }
  return {
    state: 'LOGGED_OUT',
    reason: `WhatsApp gave no pairing code (${text}): check the phone number, wait a few minutes and start again with "ponte sessions pair ${sessionId}"`,
  };
}

/**
 * The reasons of whatsapp-web.js's 'disconnected' event: a WhatsApp Web socket state the library does
 * not accept (it has already called destroy()), 'LOGOUT' when the phone unlinked us, or its own notes.
 */
export function disconnectFailure(reason: unknown): Failure {
  const r = describeError(reason);
  switch (r) {
    case 'LOGOUT':
    case 'UNPAIRED':
    case 'UNPAIRED_IDLE':
      return {
        state: 'LOGGED_OUT',
        reason: `the phone unlinked this device or WhatsApp logged it out (${r}): pair again with "ponte sessions pair"`,
        deleteLogin: true,
      };
    case 'TOS_BLOCK':
    case 'SMB_TOS_BLOCK':
      return {
        state: 'BAD_CREDENTIALS',
        reason: `WhatsApp blocked this number (${r}): it may be banned; check the phone before pairing again`,
      };
    case 'CONFLICT':
      return transient('WhatsApp Web was opened for this number in another browser (CONFLICT)');
    case 'PROXYBLOCK':
      return transient('WhatsApp refused connections from this network (PROXYBLOCK)');
    case 'DEPRECATED_VERSION':
      return transient(
        'WhatsApp refused this WhatsApp Web version (DEPRECATED_VERSION): a restart loads the current one; if it repeats, update whatsapp-web.js',
      );
    case 'Max qrcode retries reached':
      return { state: 'LOGGED_OUT', reason: 'nobody scanned the QR code: pair again with "ponte sessions pair"' };
    default:
      return transient(`WhatsApp Web disconnected (${r})`);
  }
}
