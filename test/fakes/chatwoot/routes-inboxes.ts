import { Router } from 'express';
import { intParam } from './app';
import { notFound } from './errors';
import type { FakeContext } from './app';
import type { Inbox, JsonObject } from './types';

/**
 * GET /inboxes and /inboxes/:id as views/api/v1/models/_inbox.json.jbuilder renders them for an
 * administrator: the common fields, the web-widget ones (nil for other channels) and, for an API channel,
 * its webhook_url, identifier and hmac_token.
 */
export function inboxesRouter(ctx: FakeContext): Router {
  const r = Router({ mergeParams: true });
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
    id: i.id, avatar_url: '', channel_id: i.id, name: i.name, channel_type: i.channelType, greeting_enabled: false, greeting_message: null,
    working_hours_enabled: false, enable_email_collect: true, csat_survey_enabled: false, csat_response_visible: false, enable_auto_assignment: true,
    auto_assignment_config: {}, out_of_office_message: null, working_hours: [], timezone: 'UTC', callback_webhook_url: null,
    allow_messages_after_resolved: true, lock_to_single_conversation: i.lockToSingleConversation, sender_name_type: 'friendly', business_name: null,
    widget_color: null, website_url: null, hmac_mandatory: false, welcome_title: null, welcome_tagline: null, web_widget_script: null,
    website_token: null, selected_feature_flags: null, reply_time: null, messaging_service_sid: null, phone_number: null,
    ...(api ? { hmac_token: `hmac-${i.id}`, webhook_url: i.webhookUrl ?? '', inbox_identifier: `inbox-identifier-${i.id}`, additional_attributes: {} } : {}),
    provider: null,
  };
}
