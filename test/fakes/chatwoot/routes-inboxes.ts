import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { intParam, jsonBody, schemaGuard } from './app';
import { notFound, recordInvalid } from './errors';
import type { FakeContext } from './app';
import type { Inbox, JsonObject } from './types';

/** The channel types InboxesController#create_channel accepts (`allowed_channel_types`, 4.13). */
const CHANNEL_TYPES = ['web_widget', 'api', 'email', 'line', 'telegram', 'whatsapp', 'sms'];
/** has_secure_token's alphabet (Base58) and default length. */
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** has_secure_token: 24 random Base58 characters. */
function secureToken(): string {
  return [...randomBytes(24)].map((b) => BASE58[b % BASE58.length]).join('');
}

/**
 * GET /inboxes and /inboxes/:id as views/api/v1/models/_inbox.json.jbuilder renders them for an
 * administrator: the common fields, the web-widget ones (nil for other channels) and, for an API channel,
 * its webhook_url, identifier, hmac_token and (4.13, WebhookSecretable) secret.
 *
 * POST /inboxes as app/controllers/api/v1/accounts/inboxes_controller.rb#create does for an API channel:
 * `create_channel` builds `Channel::Api` from `channel.except(:type)` with `Channel::Api::EDITABLE_ATTRS`
 * (webhook_url, hmac_mandatory, additional_attributes), the inbox is saved in the same transaction
 * (`validates :name, presence: true`), and create.json.jbuilder renders the same _inbox partial (200).
 * A failed `save!` is RecordInvalid, rendered 422 `{message, attributes}` by request_exception_handler.rb.
 * Only the API channel is modelled: other types are refused here as the fake cannot serve them.
 */
export function inboxesRouter(ctx: FakeContext): Router {
  const r = Router({ mergeParams: true });
  r.post('/inboxes', schemaGuard(ctx, 'post', '/api/v1/accounts/{account_id}/inboxes'), (_req, res) => {
    const body = jsonBody(res);
    const channel = body.channel as { type?: unknown; webhook_url?: unknown } | undefined;
    if (!channel || typeof channel !== 'object' || !CHANNEL_TYPES.includes(String(channel.type))) {
      // create_channel returns nil for a missing or unknown type, and save! fails on the missing channel.
      throw recordInvalid(['Channel must exist'], ['channel']);
    }
    if (channel.type !== 'api') throw recordInvalid([`the fake models API channels only (got ${String(channel.type)})`], ['channel']);
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (!name) throw recordInvalid(["Name can't be blank"], ['name']);
    const webhookUrl = channel.webhook_url;
    if (webhookUrl !== undefined && typeof webhookUrl !== 'string') throw recordInvalid(['Webhook url is invalid'], ['webhook_url']);
    const id = Math.max(0, ...ctx.store.inboxes.keys()) + 1;
    const inbox: Inbox = {
      id,
      name,
      lockToSingleConversation: false,
      channelType: 'Channel::Api',
      webhookUrl: webhookUrl || undefined,
      secret: secureToken(),
      ownWebhook: true,
    };
    ctx.store.inboxes.set(id, inbox);
    res.json(inboxJson(inbox));
  });
  r.get('/inboxes', (_req, res) => {
    res.json({ payload: [...ctx.store.inboxes.values()].map(inboxJson) });
  });
  r.get('/inboxes/:id', (req, res) => {
    const inbox = ctx.store.inboxes.get(intParam(req.params.id, 'inbox'));
    if (!inbox) throw notFound(`inbox ${req.params.id} is not in the account`);
    res.json(inboxJson(inbox));
  });
  return r;
}

export function inboxJson(i: Inbox): JsonObject {
  const api = i.channelType === 'Channel::Api';
  return {
    id: i.id,
    avatar_url: '',
    channel_id: i.id,
    name: i.name,
    channel_type: i.channelType,
    greeting_enabled: false,
    greeting_message: null,
    working_hours_enabled: false,
    enable_email_collect: true,
    csat_survey_enabled: false,
    csat_response_visible: false,
    enable_auto_assignment: true,
    auto_assignment_config: {},
    out_of_office_message: null,
    working_hours: [],
    timezone: 'UTC',
    callback_webhook_url: null,
    allow_messages_after_resolved: true,
    lock_to_single_conversation: i.lockToSingleConversation,
    sender_name_type: 'friendly',
    business_name: null,
    widget_color: null,
    website_url: null,
    hmac_mandatory: false,
    welcome_title: null,
    welcome_tagline: null,
    web_widget_script: null,
    website_token: null,
    selected_feature_flags: null,
    reply_time: null,
    messaging_service_sid: null,
    phone_number: null,
    ...(api
      ? {
          hmac_token: `hmac-${i.id}`,
          secret: i.secret ?? `secret-of-inbox-${i.id}`,
          webhook_url: i.webhookUrl ?? '',
          inbox_identifier: `inbox-identifier-${i.id}`,
          additional_attributes: {},
        }
      : {}),
    provider: null,
  };
}
