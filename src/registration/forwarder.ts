import { say, type Language } from '../core/catalog';
import type { ChatTarget, HelpdeskConversations } from '../core/ports';
import type { MediaStore } from '../store/media-store';
import type { RegistrationRecord, RegistrationStore } from '../store/registrations';
import { PermanentError } from '../queue/errors';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { BackendClient } from './backend-client';
import { BackendRejectedError } from './backend-errors';
import { buildPayload } from './payload';
import type { RegistrationDraft, RegistrationFieldNames } from './types';

export const LABEL_SENT = 'registo-enviado';
export const LABEL_FAILED = 'registo-falhou';

export interface RegistrationJob {
  id: string;
}

export interface ForwarderDeps {
  store: RegistrationStore;
  media: MediaStore;
  backend: BackendClient;
  conversations: HelpdeskConversations;
  tell: (target: ChatTarget, text: string) => Promise<void>;
  draftOf: (rec: RegistrationRecord) => Promise<RegistrationDraft>;
  fields: RegistrationFieldNames;
  fileFields: string[];
  /** 0: files are deleted as soon as the backend has them. */
  keepFilesMs: number;
  language: Language;
  metrics: Metrics;
  logger: Logger;
}

/**
 * Delivers a queued registration to the backend (through the registration lanes: retried with backoff,
 * dead-lettered when out of time). The Idempotency-Key and a body fixed at queue time make every attempt
 * the same request, so the backend creates one driver whatever happens in between.
 */
export class RegistrationForwarder {
  constructor(private readonly deps: ForwarderDeps) {}

  async deliver(job: RegistrationJob): Promise<void> {
    const { store, metrics } = this.deps;
    const rec = await store.get(job.id);
    if (!rec) throw new PermanentError(`registration ${job.id} does not exist`);
    // Delivered but its aftermath (note, label, files) cut short: finish that, never deliver again.
    if (rec.status === 'delivered') return rec.announced ? undefined : this.afterDelivery(rec);
    const draft = await this.deps.draftOf(rec);
    const missing = rec.files.filter((f) => !draft.files.some((d) => d.field === f.field));
    if (missing.length) throw new PermanentError(`files no longer stored: ${missing.map((f) => f.field).join(', ')}`);
    const { body } = buildPayload(draft, { registrationId: rec.id, session: rec.session, phone: rec.phone ?? '', resultId: rec.resultId, submittedAt: rec.submittedAt ?? new Date(rec.createdAt).toISOString() }, { fields: this.deps.fields, fileFields: this.deps.fileFields });
    let driverId: string;
    try {
      driverId = (await this.deps.backend.deliver(rec.id, body)).driverId;
    } catch (err) {
      rec.error = (err as Error).message;
      if (err instanceof BackendRejectedError) rec.status = 'rejected';
      await store.save(rec);
      throw err;
    }
    rec.status = 'delivered';
    rec.driverId = driverId;
    rec.deliveredAt = Date.now();
    delete rec.error;
    await store.save(rec);
    metrics.registrations.labels('delivered').inc();
    await this.afterDelivery(rec);
  }

  /** Out of attempts or refused: visible to the agents (note + label) and in the DLQ. */
  async failed(id: string, reason: string): Promise<void> {
    const rec = await this.deps.store.get(id);
    if (!rec) return;
    const rejected = rec.status === 'rejected';
    rec.status = rejected ? 'rejected' : 'failed';
    rec.error = reason;
    await this.deps.store.save(rec);
    this.deps.metrics.registrations.labels(rejected ? 'rejected' : 'failed').inc();
    if (rec.conversationId === undefined) return;
    await this.deps.conversations.note(rec.conversationId, `Registration ${rec.id} could not be delivered to the backend: ${reason}. It is in the dead-letter list; \`ponte registrations retry ${rec.id}\` sends it again.`);
    await this.deps.conversations.addLabel(rec.conversationId, LABEL_FAILED);
  }

  private async afterDelivery(rec: RegistrationRecord): Promise<void> {
    const { conversations, media } = this.deps;
    for (const f of rec.files) await media.release(f.mediaId, this.deps.keepFilesMs);
    if (rec.conversationId !== undefined) {
      await conversations.note(rec.conversationId, `Registration ${rec.id} delivered to the backend: driver id ${rec.driverId}.`);
      await conversations.addLabel(rec.conversationId, LABEL_SENT);
    }
    if (rec.target) await this.deps.tell(rec.target, say(this.deps.language, 'registrationReceived'));
    rec.announced = true;
    await this.deps.store.save(rec);
  }
}
