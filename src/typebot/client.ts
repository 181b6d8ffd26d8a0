import type { AxiosInstance } from 'axios';
import { FlowFailedError } from '../core/bot-ports';
import type { ContinueChatRequest, ContinueChatResponse, StartChatRequest, StartChatResponse } from './chat-api-types';
import { callTypebot, createTypebotHttp, expectObject, type TypebotHttpOptions } from './http';

export type { OnTypebotCall, TypebotCallOutcome, TypebotEndpoint } from './http';
export type TypebotClientOptions = TypebotHttpOptions;

/**
 * Typebot's chat API on the viewer (published bots need no token). Failures surface as FlowGoneError
 * (404: the session or bot no longer exists) or FlowFailedError (anything else), see http.ts.
 */
export class TypebotClient {
  private readonly http: AxiosInstance;

  constructor(private readonly options: TypebotClientOptions) {
    this.http = createTypebotHttp(options);
  }

  async startChat(publicId: string, body: StartChatRequest = {}): Promise<StartChatResponse> {
    const data = await callTypebot<unknown>(this.http, 'startChat', {
      method: 'POST',
      url: `/v1/typebots/${encodeURIComponent(publicId)}/startChat`,
      data: {
        ...body,
        // WhatsApp cannot run the OpenAI stream on a client, and the renderers read Slate, not markdown.
        isStreamEnabled: false,
        textBubbleContentFormat: 'richText',
      },
    }, this.options);
    const res = expectObject('startChat', data, 'sessionId');
    const typebot = res.typebot as { id?: unknown } | undefined;
    if (typeof typebot?.id !== 'string') throw new FlowFailedError('Typebot startChat returned an unexpected body (no typebot.id)');
    return withMessages(res) as unknown as StartChatResponse;
  }

  async continueChat(sessionId: string, body: ContinueChatRequest = {}): Promise<ContinueChatResponse> {
    const data = await callTypebot<unknown>(this.http, 'continueChat', {
      method: 'POST',
      url: `/v1/sessions/${encodeURIComponent(sessionId)}/continueChat`,
      // continueChat has no isStreamEnabled (the session keeps the start's); the format is per call.
      data: { ...body, textBubbleContentFormat: 'richText' },
    }, this.options);
    return withMessages(expectObject('continueChat', data)) as unknown as ContinueChatResponse;
  }
}

function withMessages(res: Record<string, unknown>): Record<string, unknown> {
  return Array.isArray(res.messages) ? res : { ...res, messages: [] };
}
