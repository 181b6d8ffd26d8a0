import type { BotOutput } from '../../bots/ports';
import type { ClientSideAction } from '../chat-api-types';

/** Cap on a Wait block when the bot's config says nothing (Typebot's own WhatsApp runtime uses 10 s). */
export const DEFAULT_MAX_WAIT_MS = 10_000;

export interface RenderedAction {
  output?: BotOutput;
  /** The flow is paused on this action and goes on with a continue call that carries no answer. */
  continueWithoutAnswer: boolean;
}

/**
 * What a client-side action becomes on WhatsApp, where no browser runs it. A Wait is a pause (capped),
 * a redirect is the URL as text, and anything else (scripts, analytics, pixels, Chatwoot widget
 * commands, client-side HTTP requests) is skipped. A skipped action the flow waits on would leave it
 * stuck, so it is continued without an answer: Typebot then goes on as if the browser returned nothing.
 * `listenForWebhook` is the exception: only the webhook call, not Ponte, may resume that flow.
 */
export function renderClientAction(action: ClientSideAction, maxWaitMs = DEFAULT_MAX_WAIT_MS): RenderedAction {
  const expectsReply = action.expectsDedicatedReply === true;
  switch (action.type) {
    case 'wait': {
      const seconds = Number(action.wait?.secondsToWaitFor);
      const ms = Number.isFinite(seconds) ? Math.round(Math.min(seconds * 1000, maxWaitMs)) : 0;
      return ms > 0 ? { output: { kind: 'wait', ms }, continueWithoutAnswer: expectsReply } : { continueWithoutAnswer: expectsReply };
    }
    case 'redirect': {
      const url = action.redirect?.url?.trim();
      return url ? { output: { kind: 'text', text: url }, continueWithoutAnswer: expectsReply } : { continueWithoutAnswer: expectsReply };
    }
    case 'listenForWebhook':
      return { continueWithoutAnswer: false };
    default:
      return { continueWithoutAnswer: expectsReply };
  }
}
