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
import { deliveryKey, filesOfRound, roundOf } from './rounds';
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
  /**
   * Passes the backend's decision on (driver, agents) once the delivery is announced. The decision comes
   * through the registration's own lane, so it never overtakes the delivery's aftermath.
   */
  settle?: (rec: RegistrationRecord) => Promise<void>;
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
    // Delivered but its aftermath (note, label, files) cut short: finish that, never deliver again. Then
    // whatever the backend decided meanwhile.
    if (rec.status === 'delivered') {
      if (!rec.announced) await this.afterDelivery(rec);
      return this.deps.settle?.(rec);
    }
    // A decision that asked for changes, cut short while being passed on: nothing to deliver yet.
    if (rec.status === 'fixing') return this.deps.settle?.(rec);
    const draft = await this.deps.draftOf(rec);
    const missing = filesOfRound(rec).filter((f) => !draft.files.some((d) => d.field === f.field));
    if (missing.length) throw new PermanentError(`files no longer stored: ${missing.map((f) => f.field).join(', ')}`);
    const round = roundOf(rec);
    const meta = {
      registrationId: rec.id,
      session: rec.session,
      phone: rec.phone ?? '',
      resultId: rec.resultId,
      submittedAt: rec.submittedAt ?? new Date(rec.createdAt).toISOString(),
      ...(round > 1 ? { round, changed: rec.changes ?? [] } : {}),
    };
    const { body } = buildPayload(draft, meta, { fields: this.deps.fields, fileFields: this.deps.fileFields });
    let driverId: string;
    try {
      driverId = (await this.deps.backend.deliver(deliveryKey(rec), body)).driverId;
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
    // The backend has it: what failed is telling the driver of the delivery or of the backend's decision.
    if (rec.status === 'delivered' || (rec.status === 'fixing' && rec.decisions?.length)) {
      if (rec.conversationId !== undefined)
        await this.deps.conversations.note(
          rec.conversationId,
          `Registration ${rec.id} is at the backend, but the driver could not be told (of the delivery or of the backend's decision): ${reason}. It is in the dead-letter list; replaying it tells the driver once.`,
        );
      return;
    }
    const rejected = rec.status === 'rejected';
    rec.status = rejected ? 'rejected' : 'failed';
    rec.error = reason;
    await this.deps.store.save(rec);
    this.deps.metrics.registrations.labels(rejected ? 'rejected' : 'failed').inc();
    if (rec.conversationId === undefined) return;
    await this.deps.conversations.note(
      rec.conversationId,
      `Registration ${rec.id} could not be delivered to the backend: ${reason}. It is in the dead-letter list; \`ponte registrations retry ${rec.id}\` sends it again.`,
    );
    await this.deps.conversations.addLabel(rec.conversationId, LABEL_FAILED);
  }

  private async afterDelivery(rec: RegistrationRecord): Promise<void> {
    const { conversations, media } = this.deps;
    for (const f of filesOfRound(rec)) await media.release(f.mediaId, this.deps.keepFilesMs);
    if (rec.conversationId !== undefined) {
      const corrected = roundOf(rec) > 1 ? `, corrected (${(rec.changes ?? []).join(', ')}),` : '';
      await conversations.note(
        rec.conversationId,
        `Registration ${rec.id}${corrected} delivered to the backend: driver id ${rec.driverId}.`,
      );
      await conversations.addLabel(rec.conversationId, LABEL_SENT);
    }
    if (rec.target) await this.deps.tell(rec.target, say(this.deps.language, 'registrationReceived'));
    rec.announced = true;
    await this.deps.store.save(rec);
  }
}
