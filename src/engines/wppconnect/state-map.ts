import type { SessionState } from '../types';

/**
 * What wppconnect's two state channels mean for a Ponte session: `statusFind` (the login flow and the
 * browser) and `onStateChange` (WhatsApp Web's socket). Pure, so every mapping is pinned by a test.
 */
export type Decision =
  /** Nothing to do. */
  | { kind: 'ignore' }
  /** WhatsApp Web loaded and is asking for a login (a QR or a code follows). */
  | { kind: 'login' }
  /** The phone is paired; WhatsApp Web is syncing. */
  | { kind: 'paired' }
  /** WhatsApp Web shows the chats: the session works. */
  | { kind: 'ready' }
  /** The socket dropped; WhatsApp Web reconnects by itself, Ponte waits a while before restarting. */
  | { kind: 'reconnecting'; reason: string }
  /** WhatsApp Web was opened in another browser: take it back. */
  | { kind: 'takeover'; reason: string }
  /**
   * The attempt is over. `whenPaired`: only if this attempt had paired (before pairing, an
   * "unpaired" signal is just the QR screen). `deleteData`: the login is void, drop the profile.
   */
  | {
      kind: 'end';
      state: Exclude<SessionState, 'CONNECTING' | 'QR_REQUIRED' | 'CONNECTED'>;
      reason: string;
      whenPaired?: boolean;
      deleteData?: boolean;
    };

const UNLINKED = 'the phone unlinked this device (WhatsApp > Linked devices) or logged out: pair again';

export function statusFindDecision(status: string): Decision {
  switch (status) {
    case 'notLogged':
      return { kind: 'login' };
    case 'isLogged':
    case 'qrReadSuccess':
      return { kind: 'paired' };
    case 'inChat':
      return { kind: 'ready' };
    case 'disconnectedMobile':
    case 'desconnectedMobile':
    case 'deleteToken':
      return { kind: 'end', state: 'LOGGED_OUT', reason: UNLINKED, whenPaired: true, deleteData: true };
    case 'browserClose':
      return { kind: 'end', state: 'TRANSIENT_DISCONNECT', reason: 'Chromium closed unexpectedly' };
    case 'serverClose':
      return { kind: 'end', state: 'TRANSIENT_DISCONNECT', reason: 'lost the connection to Chromium' };
    case 'autocloseCalled':
      // With autoClose 0 the library closes the page only when a paired phone's chats take longer to load
      // than deviceSyncTimeout (host.layer.js `waitForLogin`).
      return {
        kind: 'end',
        state: 'TRANSIENT_DISCONNECT',
        reason:
          'wppconnect closed WhatsApp Web (auto close): the phone did not finish loading its chats within browser.wppconnect.deviceSyncTimeoutMs; keep it online, or allow more time',
      };
    case 'phoneNotConnected':
      return { kind: 'end', state: 'TRANSIENT_DISCONNECT', reason: 'the phone did not finish syncing with WhatsApp Web; keep it online' };
    case 'qrReadFail':
    case 'qrReadError':
      return { kind: 'end', state: 'TRANSIENT_DISCONNECT', reason: 'the login failed after the QR scan or code; trying again' };
    default:
      return { kind: 'ignore' };
  }
}

/** WhatsApp Web's socket states (wppconnect SocketState). */
export function socketDecision(state: string): Decision {
  switch (state) {
    case 'CONNECTED':
      return { kind: 'ready' };
    case 'OPENING':
    case 'PAIRING':
    case 'TIMEOUT':
    case 'RESUMING':
    case 'DISCONNECTED':
      return { kind: 'reconnecting', reason: `WhatsApp Web lost its connection (${state}); it is reconnecting` };
    case 'CONFLICT':
      return { kind: 'takeover', reason: 'WhatsApp Web was opened in another browser; taking the session back' };
    case 'UNPAIRED':
    case 'UNPAIRED_IDLE':
      return { kind: 'end', state: 'LOGGED_OUT', reason: UNLINKED, whenPaired: true, deleteData: true };
    case 'TOS_BLOCK':
    case 'SMB_TOS_BLOCK':
      return {
        kind: 'end',
        state: 'BAD_CREDENTIALS',
        reason: `WhatsApp banned this number (${state}: terms of service); it cannot be used until WhatsApp lifts the ban (appeal in the WhatsApp app)`,
      };
    case 'DEPRECATED_VERSION':
      return {
        kind: 'end',
        state: 'TRANSIENT_DISCONNECT',
        reason: 'WhatsApp refused this WhatsApp Web version (DEPRECATED_VERSION): update @wppconnect-team/wppconnect',
      };
    case 'PROXYBLOCK':
      return { kind: 'end', state: 'TRANSIENT_DISCONNECT', reason: 'WhatsApp blocked the network address this browser uses (PROXYBLOCK)' };
    default:
      return { kind: 'ignore' };
  }
}
