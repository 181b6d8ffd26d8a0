import type { BotOutput } from './ports';
import type { OutboundMessage, MediaOutcome, RemoteMessage } from '../core/messages';
import { mediaKindFor } from '../from-agents/media-kind';
import { sourceRefOf, type ChatTarget, type HelpdeskDestination } from '../core/ports';
import type { WhatsAppSender } from '../from-agents/sender';
import type { EngineSession } from '../engines/types';
import type { IdMap } from '../store/id-map';
import type { BotChatState, BotStateStore, Outbox } from '../store/bot-state';
import { PermanentError, RetryableError } from '../queue/errors';

export interface TurnPlayerDeps {
  state: BotStateStore;
  sender: WhatsAppSender;
  destination: HelpdeskDestination;
  idMap: IdMap;
  engine: (session: string) => EngineSession | undefined;
  /** Fetches a bubble's media (a PermanentError when it is too large or gone). */
  download: (url: string, maxBytes: number) => Promise<{ data: Buffer; mimetype?: string }>;
  maxMediaBytes: (session: string) => number;
  sleep?: (ms: number) => Promise<void>;
  onOutput?: (session: string) => void;
}

/**
 * Shows a flow's bubbles on WhatsApp and mirrors each into Chatwoot as an outgoing message with its
 * WhatsApp id (so Chatwoot's webhook for it is Ponte's own insert, never sent back). Progress is saved
 * after every step: a retry after a crash goes on from the first bubble not shown.
 */
export class TurnPlayer {
  constructor(private readonly deps: TurnPlayerDeps) {}

  async play(target: ChatTarget, state: BotChatState, outbox: Outbox): Promise<void> {
    const { state: store } = this.deps;
    state.outbox = outbox;
    await store.save(target.session, target.chatKey, state);
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    while (outbox.next < outbox.outputs.length) {
      const i = outbox.next;
      const out = outbox.outputs[i];
      if (out.kind === 'wait') {
        await sleep(out.ms);
      } else {
        const part = outbox.sent[i] ? undefined : await this.toMessage(target, out);
        if (part) {
          // One key per bubble of this turn: a retry after an unknown outcome finds the bubble instead of repeating it.
          const key = `bot:${target.chatKey}:${outbox.cause}:${outbox.outputs.length}:${i}`;
          outbox.sent[i] = (await this.deps.sender.send(target.session, this.connected(target.session), part.message, { key })).remoteId;
          await store.save(target.session, target.chatKey, state);
          this.deps.onOutput?.(target.session);
        }
        await this.mirror(target, outbox.sent[i], part?.message ?? (await this.toMessage(target, out)).message, part?.media);
      }
      outbox.next = i + 1;
      delete outbox.sent[i];
      await store.save(target.session, target.chatKey, state);
    }
  }

  /**
   * One sentence of Ponte's own (a handoff, a registration problem), sent and mirrored like a bubble. A caller
   * that must not repeat it across retries passes `once`: the same `key` on every attempt (a retry after an
   * unknown outcome finds the sentence instead of sending it again), `onSent` to keep the WhatsApp id before
   * the mirror is attempted, and that id back as `sentId` on a retry (then only the mirror is done).
   */
  async say(
    target: ChatTarget,
    text: string,
    once?: { key: string; sentId?: string; onSent: (waId: string) => Promise<void> },
  ): Promise<void> {
    const message: OutboundMessage = { kind: 'text', chatId: target.waChatId, text };
    let waId = once?.sentId;
    if (!waId) {
      waId = (await this.deps.sender.send(target.session, this.connected(target.session), message, once ? { key: once.key } : {})).remoteId;
      await once?.onSent(waId);
      this.deps.onOutput?.(target.session);
    }
    await this.mirror(target, waId, message);
  }

  private async toMessage(
    target: ChatTarget,
    out: Exclude<BotOutput, { kind: 'wait' }>,
  ): Promise<{ message: OutboundMessage; media?: MediaOutcome }> {
    const chatId = target.waChatId;
    if (out.kind === 'text') return { message: { kind: 'text', chatId, text: out.text } };
    let file: { data: Buffer; mimetype?: string };
    try {
      file = await this.deps.download(out.url, this.deps.maxMediaBytes(target.session));
    } catch (err) {
      if (!(err instanceof PermanentError)) throw err;
      // A bubble whose file cannot be fetched is still shown: as its link.
      return { message: { kind: 'text', chatId, text: [out.caption, out.url].filter(Boolean).join('\n') } };
    }
    const mimetype = file.mimetype ?? 'application/octet-stream';
    const kind = out.mediaKind === 'document' ? 'document' : mediaKindFor(mimetype);
    const filename = out.filename ?? fileNameOf(out.url);
    const message = {
      kind,
      chatId,
      media: { data: file.data, mimetype, filename },
      ...(out.caption ? { caption: out.caption } : {}),
    } as OutboundMessage;
    return { message, media: { status: 'ok', data: file.data, mimetype, filename } };
  }

  /** The bubble in Chatwoot, once: the id map says whether an earlier attempt already put it there. */
  private async mirror(target: ChatTarget, waId: string, sent: OutboundMessage, media?: MediaOutcome): Promise<void> {
    const { idMap, destination } = this.deps;
    // 'handled' is the fromMe echo of this very send, recognised as Ponte's: that says nothing about Chatwoot.
    const known = await idMap.byWa(target.session, waId);
    if (known && known !== 'handled') return;
    const file = 'media' in sent ? sent.media : undefined;
    const message: RemoteMessage = {
      id: waId,
      chatId: target.waChatId,
      from: 'me',
      fromMe: true,
      timestamp: Math.floor(Date.now() / 1000),
      kind: sent.kind as RemoteMessage['kind'],
      text: sent.kind === 'text' ? sent.text : 'caption' in sent ? sent.caption : undefined,
      isGroup: false,
    };
    const item = {
      type: 'message' as const,
      message,
      media: media ?? (file ? { status: 'ok' as const, ...file } : undefined),
      direction: 'outgoing' as const,
      private: false,
    };
    const ref = await destination.post(target, sourceRefOf(waId), item);
    await idMap.record(target.session, { chatId: target.waChatId, waId }, ref);
  }

  private connected(session: string): EngineSession {
    const engine = this.deps.engine(session);
    if (!engine) throw new PermanentError(`session ${session} does not exist`);
    if (engine.state() !== 'CONNECTED') throw new RetryableError(`session ${session} is ${engine.state()}`);
    return engine;
  }
}

/** The last path segment of a URL, decoded when it can be (a stray "%" is kept as it is). */
function fileNameOf(url: string): string {
  const last = new URL(url).pathname.split('/').pop() || 'file';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
