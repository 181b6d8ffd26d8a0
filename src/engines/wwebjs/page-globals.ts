/**
 * What Ponte's page functions (page-functions.ts) rely on in WhatsApp Web and in the `window.WWebJS`
 * helpers whatsapp-web.js injects: only the members they read, as WhatsApp Web builds the library runs on
 * have them. Types only: nothing here reaches the page, whose functions go there as source text.
 */

/** A WhatsApp id object; `_serialized` is the `123@c.us` form. */
export interface PageWid {
  _serialized: string;
}

export interface PageMsg {
  id: PageWid;
  /** Seconds since the epoch. */
  t?: number;
  isNotification?: boolean;
  mediaData?: { mediaStage?: string };
}

export interface PageChat {
  id: PageWid;
  /** Time of the chat's last activity, seconds since the epoch. */
  t?: number;
  msgs: { getModelsArray(): PageMsg[] };
}

export interface PageRevokeRules {
  canSenderRevokeMsg(msg: PageMsg): boolean;
  canAdminRevokeMsg(msg: PageMsg): boolean;
}

export interface PageLaunchSocketUtils {
  refreshQR?: () => void;
}

/** WhatsApp Web's module loader, by the module names the page functions ask for. */
export interface PageRequire {
  (name: 'WAWebCollections'): {
    Chat: { getModelsArray(): PageChat[]; get(id: string): PageChat | undefined };
    Msg: { get(id: string): PageMsg | undefined; getMessagesById(ids: string[]): Promise<{ messages?: PageMsg[] } | undefined> };
  };
  (name: 'WAWebWidFactory'): { createWid(id: string): PageWid };
  (name: 'WAWebApiContact'): { getPhoneNumber(wid: PageWid): PageWid | undefined; getCurrentLid(wid: PageWid): PageWid | undefined };
  (name: 'WAWebChatLoadMessages'): { loadEarlierMsgs(arg: { chat: PageChat }): Promise<PageMsg[] | undefined> };
  (name: 'WAWebMsgActionCapability'): PageRevokeRules;
  /** Holds, under a name that changes between builds, the Map of ringing calls by call id. */
  (name: 'WAWebCallCollection'): Record<string, unknown> | undefined;
  (name: 'WAWebSocketModel'): { Socket: { on(event: 'change:state', listener: (socket: unknown, state: string) => void): void } };
  /** Not in every build; `refreshQR` neither. */
  (name: 'WAWebLaunchSocketUtils'): PageLaunchSocketUtils | undefined;
  (name: 'WAWebCmd'): { Cmd: { refreshQR(): void } };
}

export interface PageWindow {
  require: PageRequire;
  /** whatsapp-web.js's injected helpers. */
  WWebJS: {
    /** The plain object whatsapp-web.js builds its Message from. */
    getMessageModel(msg: PageMsg): unknown;
    getChat(chatId: string, options: { getAsModel: false }): Promise<{ id: PageWid } | undefined>;
    sendChatstate(state: 'typing' | 'stop', chatId: string): Promise<unknown>;
  };
  /** Set by ponteKeepQrFresh once its listener is installed in this page. */
  ponteKeepsQrFresh?: boolean;
}
