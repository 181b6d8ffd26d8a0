import { z } from 'zod';

/**
 * The parts of Chatwoot's webhook bodies Ponte reads, with the types Chatwoot 4.x sends (CONTRACTS.md,
 * Webhooks). Objects are loose: Chatwoot sends much more, and what Ponte does not read it does not judge.
 * Fields are optional where Chatwoot may leave them out; the parser decides what an absence means.
 */

const id = z.int().positive();
const nullableText = z.string().nullish();
/** Delivery keys and metric labels are built from these: a bound keeps them small. */
const shortText = z.string().max(255);

export const contactInboxSchema = z.looseObject({ source_id: nullableText }).nullish();
export const metaSchema = z.looseObject({ sender: z.looseObject({ phone_number: nullableText }).nullish() }).nullish();

export const conversationRefSchema = z.looseObject({
  id: id.optional(),
  inbox_id: id.optional(),
  contact_inbox: contactInboxSchema,
  meta: metaSchema,
});

export const attachmentSchema = z.looseObject({
  data_url: nullableText,
  content_type: nullableText,
  extension: nullableText,
  file_type: nullableText,
  file_size: z.number().nonnegative().nullish(),
});

/** What decides whether Ponte acts at all; checked before anything else is. */
export const envelopeSchema = z.looseObject({
  event: z.string().optional(),
  private: z.boolean().nullish(),
  is_private: z.boolean().nullish(),
  message_type: z.union([shortText, z.int()]).nullish(),
  source_id: nullableText,
  content_attributes: z.looseObject({ deleted: z.boolean().nullish() }).nullish(),
});

export const messageEventSchema = z.looseObject({
  id: id.optional(),
  content: nullableText,
  content_attributes: z
    .looseObject({
      in_reply_to: z.union([id, shortText]).nullish(),
      in_reply_to_external_id: shortText.nullish(),
    })
    .nullish(),
  // Chatwoot takes 15 per message; a few more are refused later with a reason the agent sees.
  attachments: z.array(attachmentSchema).max(100).nullish(),
  created_at: z.union([z.number(), shortText]).nullish(),
  inbox: z.looseObject({ id: id.optional() }).nullish(),
  conversation: conversationRefSchema.optional(),
});

export const typingEventSchema = z.looseObject({
  conversation: conversationRefSchema.optional(),
});

/** conversation_status_changed and conversation_updated: the body is the conversation itself. */
export const conversationEventSchema = conversationRefSchema.extend({
  status: shortText.nullish(),
  updated_at: z.union([z.number(), shortText]).nullish(),
  inbox: z.looseObject({ id: id.optional() }).nullish(),
  conversation: conversationRefSchema.optional(),
  changed_attributes: z.array(z.record(z.string(), z.unknown()).nullable()).max(100).nullish(),
});

export const labelChangeSchema = z.looseObject({
  previous_value: z.array(shortText).max(1000).nullish(),
  current_value: z.array(shortText).max(1000).nullish(),
});

/** The first problem, as `path: message`, for the answer to Chatwoot and the log. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue?.path.length ? issue.path.join('.') : 'body';
  return `${path}: ${issue?.message ?? 'invalid'}`;
}
