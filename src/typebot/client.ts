import type { AxiosInstance, AxiosRequestConfig } from 'axios';
import { FlowFailedError } from '../bots/ports';
import type { ContinueChatRequest, ContinueChatResponse, StartChatRequest, StartChatResponse } from './chat-api-types';
import { callTypebot, createTypebotHttp, expectObject, type TypebotHttpOptions } from './http';
import { withRetries, type OnTypebotRetry } from './retry';

export type { OnTypebotCall, TypebotCallOutcome, TypebotEndpoint } from './http';
export type { OnTypebotRetry } from './retry';

export interface TypebotClientOptions extends TypebotHttpOptions {
  /**
   * How long a call failing in a way that may pass (429, 5xx, unreachable, a startChat timing out) is
   * tried again, with backoff, before it fails the flow; also how much longer than `timeoutMs` a slow
   * continueChat is waited for. Default 0: no retries.
   */
  retryForMs?: number;
  onRetry?: OnTypebotRetry;
  /** For tests: the waits between attempts. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Typebot's chat API on the viewer (published bots need no token). Failures surface as FlowGoneError
 * (404: the session or bot no longer exists) or FlowFailedError (anything else, after the retries
 * `retryForMs` allows), see http.ts and retry.ts.
 *
 * A continueChat is never sent twice unless Typebot certainly did not act on the first one: Typebot
 * finishes a request whose caller stopped waiting, so a second copy of an answer would be taken as the
 * answer to the next question (and the person would miss that question). A slow continueChat is waited
 * for instead. A startChat may be sent again: the session of a lost answer is simply never used.
 */
export class TypebotClient {
  private readonly http: AxiosInstance;

  constructor(private readonly options: TypebotClientOptions) {
    this.http = createTypebotHttp(options);
  }

  async startChat(publicId: string, body: StartChatRequest = {}): Promise<StartChatResponse> {
    const data = await this.call<unknown>('startChat', true, {
      method: 'POST',
      url: `/v1/typebots/${encodeURIComponent(publicId)}/startChat`,
      data: {
        ...body,
        // WhatsApp cannot run the OpenAI stream on a client, and the renderers read Slate, not markdown.
        isStreamEnabled: false,
        textBubbleContentFormat: 'richText',
      },
    });
    const res = expectObject('startChat', data, 'sessionId');
    const typebot = res.typebot as { id?: unknown } | undefined;
    if (typeof typebot?.id !== 'string') throw new FlowFailedError('Typebot startChat returned an unexpected body (no typebot.id)');
    return withMessages(res) as unknown as StartChatResponse;
  }

  async continueChat(sessionId: string, body: ContinueChatRequest = {}): Promise<ContinueChatResponse> {
    const data = await this.call<unknown>('continueChat', false, {
      method: 'POST',
      url: `/v1/sessions/${encodeURIComponent(sessionId)}/continueChat`,
      // continueChat has no isStreamEnabled (the session keeps the start's); the format is per call.
      data: { ...body, textBubbleContentFormat: 'richText' },
      // Waited for as long as a failing call would be retried: it is never sent a second time.
      timeout: this.options.timeoutMs + (this.options.retryForMs ?? 0),
    });
    return withMessages(expectObject('continueChat', data)) as unknown as ContinueChatResponse;
  }

  private call<T>(endpoint: 'startChat' | 'continueChat', resendUnsafe: boolean, config: AxiosRequestConfig): Promise<T> {
    const { retryForMs = 0, onRetry, sleep } = this.options;
    return withRetries(endpoint, () => callTypebot<T>(this.http, endpoint, config, this.options), {
      forMs: retryForMs,
      resendUnsafe,
      onRetry,
      sleep,
    });
  }
}

function withMessages(res: Record<string, unknown>): Record<string, unknown> {
  return Array.isArray(res.messages) ? res : { ...res, messages: [] };
}
