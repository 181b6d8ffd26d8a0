import { FlowFailedError } from '../../bots/ports';
import type { ChatInput } from '../chat-api-types';
import type { InputState } from './input-state';
import type { MappedAnswer, RenderedInput } from './types';

export function renderPayment(input: ChatInput): RenderedInput {
  const state: InputState = { v: 1, kind: 'payment' };
  return { awaited: { type: input.type, text: false, files: false, state }, before: [] };
}

/**
 * A payment runs Stripe in a browser and cannot be completed over chat; sending any text would make
 * Typebot record it as paid. The flow fails, which hands the conversation to an agent.
 */
export function mapPaymentAnswer(): MappedAnswer {
  throw new FlowFailedError('the flow asks for a payment, which cannot be completed over WhatsApp');
}
