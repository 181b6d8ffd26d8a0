import { Router } from 'express';
import { HttpError, couldNotCreate, notFound } from './errors';
import {
  CONVERSATION_STATUSES,
  findOrCreateConversation,
  listConversations,
  setConversationStatus,
  setCustomAttributes,
  setLabels,
  toggledStatus,
} from './conversations';
import { createMessage } from './messages';
import { intParam, jsonBody, schemaGuard } from './app';
import type { FakeContext } from './app';
import type { ContactInbox, ConversationStatus, JsonObject } from './types';

const P = '/api/v1/accounts/{account_id}/conversations';
const C = `${P}/{conversation_id}`;

function queryList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return ([] as unknown[]).concat(value).map(String);
}

export function conversationsRouter(ctx: FakeContext): Router {
  const r = Router({ mergeParams: true });
  const { store, ser } = ctx;
  const conv = (raw: unknown) => store.conversation(intParam(raw, 'conversation'));

  r.post('/conversations', schemaGuard(ctx, 'post', P), (_req, res) => {
    const body = jsonBody(res);
    const sourceId = typeof body.source_id === 'string' ? body.source_id : null;
    let ci: ContactInbox;
    if (body.inbox_id !== undefined && body.contact_id !== undefined) {
      const contact = store.contact(body.contact_id);
      const inbox = store.inbox(body.inbox_id);
      try {
        ci = store.ensureContactInbox(contact, inbox, sourceId);
      } catch (e) {
        // ConversationsController rescues RecordNotUnique with its own message.
        if (e instanceof HttpError && e.kind === 'conflict') throw couldNotCreate('source_id should be unique', 'conflict');
        throw e;
      }
    } else {
      // Legacy lookup by source_id alone (ContactInbox.find_by!).
      const found = [...store.contactInboxes.values()].find((x) => x.source_id === sourceId);
      if (!found) throw notFound(`no contact_inbox with source_id ${String(sourceId)} (inbox_id/contact_id not both given)`);
      ci = found;
    }
    const { conversation } = findOrCreateConversation(
      store,
      ci.id,
      {
        status: body.status as ConversationStatus | undefined,
        additional_attributes: body.additional_attributes as JsonObject | undefined,
        custom_attributes: body.custom_attributes as JsonObject | undefined,
      },
      'api',
    );
    const initial = body.message as { content?: string } | undefined;
    if (initial?.content) createMessage(store, conversation, { content: initial.content }, store.apiUser, 'api');
    res.json(ser.conversation(conversation));
  });

  r.get('/conversations', (req, res) => {
    const q = req.query;
    const inboxId = typeof q.inbox_id === 'string' && q.inbox_id !== '' ? Number(q.inbox_id) : undefined;
    const result = listConversations(store, {
      inboxId,
      status: typeof q.status === 'string' && q.status !== '' ? q.status : undefined,
      sourceId: typeof q.source_id === 'string' && q.source_id !== '' ? q.source_id : undefined,
      labels: queryList(q['labels[]'] ?? q.labels),
      page: Number.parseInt(String(q.page ?? '1'), 10) || 1,
    });
    // Nothing is ever assigned in the fake, so every match is "unassigned".
    const meta = { mine_count: 0, assigned_count: 0, unassigned_count: result.count, all_count: result.count };
    res.json({ data: { meta, payload: result.payload.map((c) => ser.conversation(c)) } });
  });

  r.get('/conversations/:cid', (req, res) => {
    res.json(ser.conversation(conv(req.params.cid)));
  });

  r.post('/conversations/:cid/toggle_status', schemaGuard(ctx, 'post', `${C}/toggle_status`), (req, res) => {
    const c = conv(req.params.cid);
    const body = jsonBody(res);
    const requested = typeof body.status === 'string' ? body.status : undefined;
    if (requested !== undefined && !CONVERSATION_STATUSES.includes(requested as ConversationStatus)) {
      throw couldNotCreate(`'${requested}' is not a valid status`);
    }
    const status = (requested as ConversationStatus | undefined) ?? toggledStatus(c.status);
    const snoozedUntil = typeof body.snoozed_until === 'number' ? body.snoozed_until : null;
    setConversationStatus(store, c, status, store.apiUser, 'api', snoozedUntil);
    res.json({
      meta: {},
      payload: { success: true, conversation_id: c.display_id, current_status: c.status, snoozed_until: c.snoozed_until },
    });
  });

  r.get('/conversations/:cid/labels', (req, res) => {
    res.json({ payload: conv(req.params.cid).labels });
  });

  r.post('/conversations/:cid/labels', schemaGuard(ctx, 'post', `${C}/labels`), (req, res) => {
    const c = conv(req.params.cid);
    setLabels(store, c, (jsonBody(res).labels ?? []) as string[], 'api');
    res.json({ payload: c.labels });
  });

  r.post('/conversations/:cid/custom_attributes', schemaGuard(ctx, 'post', `${C}/custom_attributes`), (req, res) => {
    const c = conv(req.params.cid);
    setCustomAttributes(store, c, (jsonBody(res).custom_attributes ?? {}) as JsonObject, 'api');
    res.json({ custom_attributes: c.custom_attributes });
  });

  r.post('/conversations/:cid/toggle_typing_status', schemaGuard(ctx, 'post', `${C}/toggle_typing_status`), (req, res) => {
    const c = conv(req.params.cid);
    const body = jsonBody(res);
    const event = body.typing_status === 'on' ? 'conversation_typing_on' : 'conversation_typing_off';
    store.emit({ event, origin: 'api', conversation: c, user: store.apiUser, isPrivate: body.is_private === true });
    res.status(200).end();
  });

  return r;
}
