import pino from 'pino';
import type { AgentEvent } from '../../../src/core/agent-messages';
import { answerWebhook, type WebhookAnswer, type WebhookIntake } from '../../../src/http/webhook-answer';

export const WEBHOOK_TOKEN = 'webhook-token-for-security-tests';

export interface Counted {
  rejected: string[];
  ignored: string[];
}

/**
 * Answers a webhook body the way the front thread does (URL token auth). `intake` defaults to one that
 * serialises the event as the lane push does, so an event that cannot be stored fails as it would there.
 */
export async function answer(
  body: unknown,
  intake?: WebhookIntake,
  counted: Counted = { rejected: [], ignored: [] },
): Promise<WebhookAnswer> {
  const raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const counter = (into: string[]) => ({ labels: (...l: string[]) => ({ inc: () => void into.push(l.join(',')) }) });
  return answerWebhook(
    raw,
    { token: WEBHOOK_TOKEN },
    {
      auth: { token: WEBHOOK_TOKEN },
      intake: intake ?? serialisingIntake(),
      metrics: { webhookRejected: counter(counted.rejected), ignored: counter(counted.ignored), dedupeHits: counter([]) },
      logger: pino({ level: 'silent' }),
    },
  );
}

export function serialisingIntake(stored: AgentEvent[] = []): WebhookIntake {
  return {
    async persistOnce(event) {
      stored.push(JSON.parse(JSON.stringify(event)) as AgentEvent);
      return 'queued';
    },
  };
}

export const conversation = {
  id: 42,
  inbox_id: 3,
  contact_inbox: { source_id: '351912345678@c.us' },
  meta: { sender: { phone_number: '+351912345678' } },
};

/** An agent's reply as Chatwoot 4.13 posts it. */
export const agentReply = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  event: 'message_created',
  id: 1234,
  message_type: 'outgoing',
  private: false,
  content: 'Olá **Maria**',
  content_attributes: {},
  source_id: null,
  created_at: '2026-04-20T10:00:00.000Z',
  inbox: { id: 3 },
  sender: { id: 2, type: 'user' },
  attachments: [],
  conversation,
  ...over,
});

/** The JSON text of `levels` arrays nested in one another, built as text: JSON.stringify would overflow. */
export function nestedJson(levels: number): string {
  return `${'['.repeat(levels)}"bottom"${']'.repeat(levels)}`;
}
