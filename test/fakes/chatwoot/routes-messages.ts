import { Router } from 'express';
import type { Response } from 'express';
import { couldNotCreate } from './errors';
import { createMessage, deleteMessage, updateMessageStatus } from './messages';
import type { MessageInput } from './messages';
import { nestFields } from './multipart';
import type { MultipartBody } from './multipart';
import { intParam, jsonBody, locals, schemaGuard } from './app';
import type { FakeContext } from './app';
import type { JsonObject } from './types';

const C = '/api/v1/accounts/{account_id}/conversations/{conversation_id}';
const LATEST = 20;
const AFTER_LIMIT = 100;

// ActiveModel::Type::Boolean: these strings cast to false, anything else present to true.
const FALSE_STRINGS = ['false', '0', 'f', 'off', 'no', ''];

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[v.length - 1]) : undefined);

/**
 * The multipart variant is not in the swagger; CONTRACTS.md: files under `attachments[]`, other params as
 * fields, `content_attributes` either a JSON string (MessageBuilder parses it) or bracketed fields.
 */
function multipartInput(mp: MultipartBody): MessageInput {
  const stray = mp.files.filter((f) => f.field !== 'attachments[]');
  if (stray.length > 0) {
    // Rails would not attach these (a bare `attachments` even raises in MessageBuilder); surface it instead.
    throw couldNotCreate(`files must be sent as 'attachments[]' (got ${stray.map((f) => `'${f.field}'`).join(', ')})`, 'bad_request');
  }
  const f = nestFields(mp.fields);
  let contentAttributes: JsonObject | undefined;
  if (typeof f.content_attributes === 'string') {
    try {
      const parsed = JSON.parse(f.content_attributes) as unknown;
      contentAttributes = typeof parsed === 'object' && parsed !== null ? (parsed as JsonObject) : {};
    } catch (e) {
      throw couldNotCreate(`content_attributes is not valid JSON: ${(e as Error).message}`);
    }
  } else if (typeof f.content_attributes === 'object' && f.content_attributes !== null) {
    contentAttributes = f.content_attributes as JsonObject;
  }
  const priv = str(f.private);
  return {
    content: str(f.content) ?? null,
    message_type: str(f.message_type),
    private: priv === undefined ? undefined : !FALSE_STRINGS.includes(priv.toLowerCase()),
    source_id: str(f.source_id) ?? null,
    content_type: str(f.content_type),
    echo_id: str(f.echo_id) ?? null,
    content_attributes: contentAttributes,
    attachments: mp.files.map((file) => ({ filename: file.filename, content_type: file.content_type, data: file.data })),
  };
}

function jsonInput(res: Response): MessageInput {
  const b = jsonBody(res);
  return {
    content: typeof b.content === 'string' ? b.content : null,
    message_type: b.message_type as string | undefined,
    private: b.private as boolean | undefined,
    source_id: b.source_id === undefined || b.source_id === null ? null : String(b.source_id),
    content_type: b.content_type as string | undefined,
    echo_id: b.echo_id === undefined || b.echo_id === null ? null : String(b.echo_id),
    content_attributes: b.content_attributes as JsonObject | undefined,
  };
}

export function messagesRouter(ctx: FakeContext): Router {
  const r = Router({ mergeParams: true });
  const { store, ser } = ctx;
  const conv = (raw: unknown) => store.conversation(intParam(raw, 'conversation'));

  r.post('/conversations/:cid/messages', schemaGuard(ctx, 'post', `${C}/messages`), (req, res) => {
    const c = conv(req.params.cid);
    const mp = locals(res).multipart;
    const input = mp ? multipartInput(mp) : jsonInput(res);
    const message = createMessage(store, c, input, store.apiUser, 'api');
    res.json(ser.message(message));
  });

  /** MessageFinder: latest 20, 20 before `before`, or up to 100 after `after`, always ascending. */
  r.get('/conversations/:cid/messages', (req, res) => {
    const c = conv(req.params.cid);
    const after = typeof req.query.after === 'string' && req.query.after !== '' ? Number(req.query.after) : undefined;
    const before = typeof req.query.before === 'string' && req.query.before !== '' ? Number(req.query.before) : undefined;
    let list = store.messagesOf(c.display_id);
    if (after !== undefined) list = list.filter((m) => m.id > after);
    if (before !== undefined) list = list.filter((m) => m.id < before);
    list = after !== undefined ? list.slice(0, AFTER_LIMIT) : list.slice(-LATEST);
    const contact = store.contact(c.contact_id);
    res.json({
      meta: {
        labels: c.labels,
        additional_attributes: c.additional_attributes,
        contact: ser.contactPush(contact),
        agent_last_seen_at: null,
        assignee_last_seen_at: null,
      },
      payload: list.map((m) => ser.message(m)),
    });
  });

  if (ctx.supportsStatusUpdate) {
    r.patch('/conversations/:cid/messages/:mid', (req, res) => {
      const c = conv(req.params.cid);
      const message = store.message(c, intParam(req.params.mid, 'message'));
      const body = jsonBody(res);
      updateMessageStatus(store, message, body.status, body.external_error, 'api');
      res.json(ser.message(message));
    });
  }

  r.delete('/conversations/:cid/messages/:mid', (req, res) => {
    const c = conv(req.params.cid);
    const message = store.message(c, intParam(req.params.mid, 'message'));
    res.json(ser.message(deleteMessage(store, message, 'api')));
  });

  return r;
}
