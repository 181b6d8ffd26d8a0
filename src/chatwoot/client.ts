import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosRequestConfig, isAxiosError } from 'axios';
import FormData from 'form-data';
import type { Metrics } from '../observability/metrics';
import { inSpan, SpanKind, type Span } from '../observability/tracing';
import { downloadFile } from '../guarded-fetch/download';
import { DownloadRefusedError, DownloadTooLargeError, isDownloadFailure } from '../guarded-fetch/errors';
import { PermanentError } from '../queue/errors';
import { parseRetryAfter } from '../core/retry-after';
import { AttachmentTooLargeError, ChatwootError } from './errors';
import type { CwContact, CwConversation, CwConversationStatus, CwInbox, CwMessage, NewMessage } from './types';

/** Failures where the request may have reached Chatwoot and still be running there. */
const UNCERTAIN_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE']);
/** Tries of a read that fails with a 5xx, and the base pause between them. */
const READ_TRIES = 3;
const READ_RETRY_MS = 50;

export interface ChatwootClientOptions {
  baseUrl: string;
  accountId: number;
  apiToken: string;
  timeoutMs: number;
  metrics?: Metrics;
  /** Longest an attachment download may take, redirects and body included (default 2 minutes). */
  downloadTimeoutMs?: number;
  /** Origins besides baseUrl's that attachment URLs may name (Chatwoot's public URL when Ponte uses an internal one). */
  attachmentOrigins?: string[];
  /**
   * The URL Chatwoot knows itself by (FRONTEND_URL), when Ponte reaches it elsewhere (`baseUrl`, e.g.
   * http://rails:3000 inside docker compose): attachment links on it are fetched from `baseUrl` instead.
   */
  publicUrl?: string;
}

const DOWNLOAD_TIMEOUT_MS = 120_000;

/**
 * Chatwoot's application API with a user token (CONTRACTS.md Part 1). Every failure becomes a
 * ChatwootError that says whether a retry can help; every call is counted by endpoint and status.
 */
export class ChatwootClient {
  private readonly http: AxiosInstance;
  private readonly account: string;

  constructor(private readonly options: ChatwootClientOptions) {
    this.account = `/api/v1/accounts/${options.accountId}`;
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/$/, ''),
      timeout: options.timeoutMs,
      headers: { api_access_token: options.apiToken, Accept: 'application/json' },
      // Keep-alive: a relay makes thousands of calls to the same host.
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: 128 }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 128 }),
      maxBodyLength: Infinity,
      maxContentLength: Infinity,
      // The API never redirects (downloads follow theirs one by one); without it axios uses plain
      // http instead of the follow-redirects wrapper, a measurable cost per call in a burst.
      maxRedirects: 0,
    });
  }

  /**
   * Reads (GETs, and the contact filter, a read sent as POST) are retried here on a 5xx, briefly: they
   * change nothing, and one relay step makes several of them, so a flaky Chatwoot would otherwise make
   * whole steps fail (and use up the item's attempts) for a blip. Writes are left to the lanes, which
   * look before they create again.
   */
  private async call<T>(endpoint: string, config: AxiosRequestConfig, read = (config.method ?? 'GET').toUpperCase() === 'GET'): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.callOnce<T>(endpoint, config);
      } catch (err) {
        if (!read || attempt >= READ_TRIES || !(err instanceof ChatwootError) || err.status < 500) throw err;
        await new Promise((r) => setTimeout(r, READ_RETRY_MS * attempt * (0.5 + Math.random())));
      }
    }
  }

  private callOnce<T>(endpoint: string, config: AxiosRequestConfig): Promise<T> {
    const method = (config.method ?? 'GET').toUpperCase();
    return inSpan(
      `chatwoot ${endpoint}`,
      { 'ponte.endpoint': endpoint, 'http.request.method': method },
      (span) => this.send<T>(endpoint, config, span),
      { kind: SpanKind.CLIENT },
    );
  }

  private async send<T>(endpoint: string, config: AxiosRequestConfig, span: Span): Promise<T> {
    try {
      const res = await this.http.request<T>(config);
      this.options.metrics?.chatwootRequests.labels(endpoint, String(res.status)).inc();
      span.setAttribute('http.response.status_code', res.status);
      return res.data;
    } catch (err) {
      if (!isAxiosError(err)) throw err;
      const status = err.response?.status ?? 0;
      this.options.metrics?.chatwootRequests.labels(endpoint, String(status)).inc();
      span.setAttribute('http.response.status_code', status);
      const body = err.response?.data as { error?: string; message?: string } | undefined;
      const why = body?.error ?? body?.message ?? err.message;
      // No answer after the request went out (timeout, connection cut): Chatwoot may still be working on
      // it. Retrying at once would look for the message before it exists and create it a second time, so
      // the retry waits as long again; the look-before-create then finds what the slow call created.
      const maybeInProgress = !err.response && UNCERTAIN_CODES.has(err.code ?? '');
      const retryAfterMs = maybeInProgress ? this.options.timeoutMs : parseRetryAfter(err.response?.headers?.['retry-after']);
      throw new ChatwootError(endpoint, status, typeof why === 'string' ? why : JSON.stringify(why), body, retryAfterMs);
    }
  }

  /** Contacts whose attribute equals one of `values` (conditions joined by OR, the last one closing with null). */
  async filterContacts(attribute: 'phone_number' | 'identifier' | 'email', ...values: [string, ...string[]]): Promise<CwContact[]> {
    // One condition per value: Chatwoot reads a single value for phone_number conditions.
    const payload = values.map((v, i) => ({
      attribute_key: attribute,
      filter_operator: 'equal_to',
      values: [v],
      query_operator: i < values.length - 1 ? 'OR' : null,
    }));
    const data = await this.call<{ payload: CwContact[] }>(
      'contacts.filter',
      { method: 'POST', url: `${this.account}/contacts/filter`, data: { payload } },
      true,
    );
    return data.payload ?? [];
  }

  async createContact(input: {
    inbox_id: number;
    source_id?: string;
    name: string;
    phone_number?: string;
    identifier?: string;
    custom_attributes?: Record<string, unknown>;
    additional_attributes?: Record<string, unknown>;
  }): Promise<CwContact> {
    const data = await this.call<{ payload: { contact: CwContact } }>('contacts.create', {
      method: 'POST',
      url: `${this.account}/contacts`,
      data: input,
    });
    return data.payload.contact;
  }

  async updateContact(id: number, input: Record<string, unknown>): Promise<void> {
    await this.call('contacts.update', { method: 'PUT', url: `${this.account}/contacts/${id}`, data: input });
  }

  async createContactInbox(contactId: number, inboxId: number, sourceId: string): Promise<void> {
    await this.call('contact_inboxes.create', {
      method: 'POST',
      url: `${this.account}/contacts/${contactId}/contact_inboxes`,
      data: { inbox_id: inboxId, source_id: sourceId },
    });
  }

  async contactConversations(contactId: number): Promise<CwConversation[]> {
    const data = await this.call<{ payload: CwConversation[] }>('contacts.conversations', {
      method: 'GET',
      url: `${this.account}/contacts/${contactId}/conversations`,
    });
    return data.payload ?? [];
  }

  async createConversation(input: {
    source_id: string;
    inbox_id: number;
    contact_id: number;
    status?: CwConversationStatus;
    additional_attributes?: Record<string, unknown>;
  }): Promise<CwConversation> {
    return this.call<CwConversation>('conversations.create', { method: 'POST', url: `${this.account}/conversations`, data: input });
  }

  async getConversation(id: number): Promise<CwConversation> {
    return this.call<CwConversation>('conversations.get', { method: 'GET', url: `${this.account}/conversations/${id}` });
  }

  async listConversations(params: {
    inbox_id: number;
    status?: CwConversationStatus | 'all';
    page?: number;
    source_id?: string;
  }): Promise<CwConversation[]> {
    const data = await this.call<{ data: { payload: CwConversation[] } }>('conversations.list', {
      method: 'GET',
      url: `${this.account}/conversations`,
      params,
    });
    return data.data?.payload ?? [];
  }

  async toggleStatus(id: number, status: CwConversationStatus): Promise<void> {
    await this.call('conversations.toggle_status', {
      method: 'POST',
      url: `${this.account}/conversations/${id}/toggle_status`,
      data: { status },
    });
  }

  async setLabels(conversationId: number, labels: string[]): Promise<void> {
    await this.call('conversations.labels', {
      method: 'POST',
      url: `${this.account}/conversations/${conversationId}/labels`,
      data: { labels },
    });
  }

  async getLabels(conversationId: number): Promise<string[]> {
    const data = await this.call<{ payload: string[] }>('conversations.labels_get', {
      method: 'GET',
      url: `${this.account}/conversations/${conversationId}/labels`,
    });
    return data.payload ?? [];
  }

  async createMessage(conversationId: number, msg: NewMessage): Promise<CwMessage> {
    const url = `${this.account}/conversations/${conversationId}/messages`;
    if (!msg.attachments?.length) {
      return this.call<CwMessage>('messages.create', {
        method: 'POST',
        url,
        data: {
          content: msg.content,
          message_type: msg.messageType,
          private: msg.private ?? false,
          ...(msg.sourceId ? { source_id: msg.sourceId } : {}),
          ...(msg.contentAttributes && Object.keys(msg.contentAttributes).length ? { content_attributes: msg.contentAttributes } : {}),
        },
      });
    }
    const form = new FormData();
    if (msg.content) form.append('content', msg.content);
    form.append('message_type', msg.messageType);
    form.append('private', String(msg.private ?? false));
    if (msg.sourceId) form.append('source_id', msg.sourceId);
    if (msg.contentAttributes && Object.keys(msg.contentAttributes).length)
      form.append('content_attributes', JSON.stringify(msg.contentAttributes));
    for (const a of msg.attachments) form.append('attachments[]', a.data, { filename: a.filename, contentType: a.mimetype });
    return this.call<CwMessage>('messages.create', { method: 'POST', url, data: form, headers: form.getHeaders() });
  }

  async listMessages(conversationId: number, params: { before?: number; after?: number } = {}): Promise<CwMessage[]> {
    const data = await this.call<{ payload: CwMessage[] }>('messages.list', {
      method: 'GET',
      url: `${this.account}/conversations/${conversationId}/messages`,
      params,
    });
    return data.payload ?? [];
  }

  async updateMessageStatus(
    conversationId: number,
    messageId: number,
    status: 'sent' | 'delivered' | 'read' | 'failed',
    externalError?: string,
  ): Promise<void> {
    await this.call('messages.update_status', {
      method: 'PATCH',
      url: `${this.account}/conversations/${conversationId}/messages/${messageId}`,
      data: { status, ...(externalError ? { external_error: externalError } : {}) },
    });
  }

  async deleteMessage(conversationId: number, messageId: number): Promise<void> {
    await this.call('messages.delete', { method: 'DELETE', url: `${this.account}/conversations/${conversationId}/messages/${messageId}` });
  }

  async profile(): Promise<{ id: number; pubsub_token?: string; accounts?: Array<{ id: number }> }> {
    return this.call('profile', { method: 'GET', url: '/api/v1/profile' });
  }

  /** An attachment link on Chatwoot's public URL, moved to where Ponte reaches Chatwoot (same path and query). */
  private reachable(url: string): string {
    if (!this.options.publicUrl) return url;
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return url; // refused, with its reason, by the guarded fetch
    }
    if (u.origin !== new URL(this.options.publicUrl).origin) return url;
    const inside = new URL(this.options.baseUrl);
    u.protocol = inside.protocol;
    u.host = inside.host;
    return u.toString();
  }

  /**
   * A new API-channel inbox whose webhook is `webhookUrl` (CONTRACTS.md, Inbox: `POST …/inboxes {name,
   * channel: {type: "api", webhook_url}}`; inboxes_controller.rb#create). The answer carries the inbox's
   * webhook `secret` when the token's user is an administrator (4.13+).
   */
  async createInbox(name: string, webhookUrl: string): Promise<CwInbox> {
    return this.call('inboxes.create', {
      method: 'POST',
      url: `${this.account}/inboxes`,
      data: { name, channel: { type: 'api', webhook_url: webhookUrl } },
    });
  }

  async inbox(id: number): Promise<CwInbox> {
    return this.call('inboxes.show', { method: 'GET', url: `${this.account}/inboxes/${id}` });
  }

  /**
   * Downloads an attachment's `data_url` from Chatwoot's own origin, following its redirect to the storage
   * host (S3, GCS, MinIO) without the token: that host gets a signed URL, never the user's credentials.
   * Streamed and cut off at `maxBytes`; a URL elsewhere is refused for good, with the reason.
   */
  download(url: string, maxBytes: number): Promise<{ data: Buffer; contentType?: string }> {
    return inSpan(
      'chatwoot attachments.download',
      { 'ponte.endpoint': 'attachments.download' },
      () => this.fetchAttachment(url, maxBytes),
      { kind: SpanKind.CLIENT },
    );
  }

  private async fetchAttachment(url: string, maxBytes: number): Promise<{ data: Buffer; contentType?: string }> {
    const origin = new URL(this.options.baseUrl).origin;
    try {
      const file = await downloadFile(this.reachable(url), maxBytes, {
        hosts: [origin, ...(this.options.attachmentOrigins ?? [])],
        hostsName: `Chatwoot's origin (chatwoot.baseUrl ${origin})`,
        credentials: { origin, headers: { api_access_token: this.options.apiToken } },
        timeoutMs: this.options.downloadTimeoutMs ?? DOWNLOAD_TIMEOUT_MS,
      });
      this.options.metrics?.chatwootRequests.labels('attachments.download', '200').inc();
      return { data: file.data, contentType: file.mimetype };
    } catch (err) {
      if (err instanceof DownloadRefusedError) throw new PermanentError(`the attachment was not fetched: ${err.message}`);
      if (err instanceof DownloadTooLargeError) throw new AttachmentTooLargeError(maxBytes);
      const status = isDownloadFailure(err) ? err.status : 0;
      this.options.metrics?.chatwootRequests.labels('attachments.download', String(status)).inc();
      throw new ChatwootError('attachments.download', status, (err as Error).message);
    }
  }
}
