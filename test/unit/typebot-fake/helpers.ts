import axios from 'axios';
import type { AxiosInstance, AxiosResponse } from 'axios';
import type { TypebotFake } from '../../fakes/typebot';

/** A Typebot client as a bridge would use it: never throws on HTTP status, so tests can assert on it. */
export function chatClient(fake: TypebotFake): {
  http: AxiosInstance;
  start: (publicId: string, body?: unknown) => Promise<AxiosResponse>;
  reply: (sessionId: string, body?: unknown) => Promise<AxiosResponse>;
} {
  const http = axios.create({ baseURL: `${fake.url}/api`, validateStatus: () => true });
  return {
    http,
    start: (publicId, body = {}) => http.post(`/v1/typebots/${publicId}/startChat`, body),
    reply: (sessionId, body = {}) => http.post(`/v1/sessions/${sessionId}/continueChat`, body),
  };
}

/** The plain text of a richText bubble (one line per paragraph). */
export function plain(message: { content: { richText?: Array<{ children: Array<{ text?: string; children?: unknown[] }> }> } }): string {
  const walk = (nodes: unknown[]): string =>
    nodes
      .map((n) => {
        const node = n as { text?: string; children?: unknown[] };
        return node.text ?? walk(node.children ?? []);
      })
      .join('');
  return (message.content.richText ?? []).map((p) => walk(p.children)).join('\n');
}
