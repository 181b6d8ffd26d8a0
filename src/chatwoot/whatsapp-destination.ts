import type { ChatTarget, HelpdeskRef, HelpdeskDestination, PostItem } from '../core/ports';
import { RetryableError } from '../queue/errors';
import type { ChatwootClient } from './client';
import type { ConversationResolver } from './conversation-resolver';
import {
  convertCallNoteEvent,
  convertEditEvent,
  convertMessage,
  convertReactionEvent,
  convertRevokeNoteEvent,
  type ChatwootMessageDraft,
  type ConvertContext,
} from './converters';
import { ChatwootError } from './errors';

const MAX_ATTACHMENTS = 15;
/** Pages of recent messages searched for an external id after a crash between create and record. */
const FIND_PAGES = 5;
/** Messages in one page of `GET …/messages` (MessageFinder). */
const PAGE_SIZE = 20;

/** WhatsApp traffic into a Chatwoot API-channel inbox: resolve the conversation, convert, create. */
export class ChatwootDestination implements HelpdeskDestination {
  constructor(
    private readonly client: ChatwootClient,
    private readonly resolver: ConversationResolver,
  ) {}

  async post(target: ChatTarget, sourceRef: string, item: PostItem): Promise<HelpdeskRef> {
    const draft = toDraft(item);
    for (let attempt = 0; ; attempt++) {
      const conv = await this.resolver.resolve(target);
      try {
        const created = await this.client.createMessage(conv.conversationId, {
          content: draft.content,
          messageType: draft.messageType,
          private: draft.private,
          sourceId: sourceRef,
          contentAttributes: draft.contentAttributes,
          attachments: draft.attachments.slice(0, MAX_ATTACHMENTS),
        });
        return { conversationId: conv.conversationId, messageId: created.id };
      } catch (err) {
        if (err instanceof ChatwootError && err.status === 404 && attempt === 0) {
          // The conversation was deleted in Chatwoot: forget it and open a new one.
          await this.resolver.forget(target);
          continue;
        }
        if (err instanceof ChatwootError && err.status === 422 && /too many/i.test(err.message)) {
          throw new RetryableError(`${err.message} (Chatwoot allows 200 messages a minute per conversation)`, 60_000);
        }
        throw err;
      }
    }
  }

  async find(target: ChatTarget, sourceRef: string): Promise<HelpdeskRef | undefined> {
    const conv = await this.resolver.resolve(target);
    let before: number | undefined;
    for (let page = 0; page < FIND_PAGES; page++) {
      const messages = await this.client.listMessages(conv.conversationId, before ? { before } : {});
      const hit = messages.find((m) => m.source_id === sourceRef);
      if (hit) return { conversationId: conv.conversationId, messageId: hit.id };
      // Chatwoot pages hold 20: a shorter page is the conversation's first.
      if (messages.length < PAGE_SIZE) return undefined;
      before = Math.min(...messages.map((m) => m.id));
    }
    return undefined;
  }

  async remove(ref: HelpdeskRef): Promise<void> {
    try {
      await this.client.deleteMessage(ref.conversationId, ref.messageId);
    } catch (err) {
      if (err instanceof ChatwootError && err.status === 404) return;
      throw err;
    }
  }
}

function toDraft(item: PostItem): ChatwootMessageDraft {
  const quote: Pick<ConvertContext, 'quotedSourceId' | 'quotedChatwootId'> = item.quoted
    ? { quotedSourceId: item.quoted.sourceRef, ...(item.quoted.helpdeskId ? { quotedChatwootId: item.quoted.helpdeskId } : {}) }
    : {};
  switch (item.type) {
    case 'message':
      return convertMessage(item.message, {
        direction: item.direction,
        asPrivateNote: item.private,
        media: item.media,
        groupSender: item.groupSender,
        ...quote,
      });
    case 'reaction':
      return convertReactionEvent(item.reaction, { direction: item.direction, groupSender: item.groupSender, ...quote });
    case 'edit':
      return convertEditEvent(item.edit, { direction: item.direction, groupSender: item.groupSender, ...quote });
    case 'revoke-note':
      return convertRevokeNoteEvent(item.revoke, { direction: 'outgoing' });
    case 'call-note':
      return convertCallNoteEvent(item.call, item.outcome, { direction: 'outgoing' });
  }
}
