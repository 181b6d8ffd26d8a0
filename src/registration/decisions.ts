import { say, type Language } from '../core/catalog';
import type { ChatTarget, HelpdeskConversations } from '../core/ports';
import type { Logger } from '../observability/logger';
import type {
  RecordedDecision,
  RegistrationDecision,
  RegistrationRecord,
  RegistrationStatus,
  RegistrationStore,
  TakenDecision,
} from '../store/registrations';
import type { RegistrationDesk } from './desk';
import { roundOf } from './rounds';
import type { RegistrationFieldKey, RegistrationFieldNames } from './types';

export const LABEL_APPROVED = 'registo-aprovado';
export const LABEL_REFUSED = 'registo-recusado';

export type DecisionVerdict =
  | { kind: 'accepted'; round: number; recorded: TakenDecision }
  /** The same decision again: nothing more is done. */
  | { kind: 'repeated'; round: number; recorded: TakenDecision }
  /** Another decision was taken for this delivery already; it stands. */
  | { kind: 'conflict'; round: number; recorded: TakenDecision }
  | { kind: 'unknown' }
  | { kind: 'not_delivered'; status: RegistrationStatus }
  | { kind: 'unknown_fields'; fields: string[]; known: string[] };

export interface DecisionDeps {
  store: RegistrationStore;
  conversations: HelpdeskConversations;
  /** Tells the driver something on WhatsApp (mirrored to Chatwoot). */
  tell: (target: ChatTarget, text: string) => Promise<void>;
  desk: Pick<RegistrationDesk, 'reopen' | 'askFor' | 'labelOf'>;
  /** Hands the registration to its lane, where the decision is passed on after the delivery's own news. */
  forward: (id: string) => Promise<void>;
  fields: RegistrationFieldNames;
  fileFields: string[];
  language: Language;
  logger: Logger;
}

/**
 * The backend's answer to a delivered registration. Taking it (`take`) only records it, first one per
 * delivery wins, and queues the registration; passing it on (`settle`, from the registration's lane) tells
 * the driver, notes it for the agents and, for needs_changes, asks the driver for the fields again. Each
 * step is recorded as done, so a retry repeats none of them that finished.
 */
export class RegistrationDecisions {
  constructor(private readonly deps: DecisionDeps) {}

  async take(id: string, input: RegistrationDecision): Promise<DecisionVerdict> {
    const { store } = this.deps;
    const rec = await store.get(id);
    if (!rec) return { kind: 'unknown' };
    const decision = normalized(input);
    if (decision.fields) {
      const known = this.knownFields(rec);
      const unknown = decision.fields.filter((f) => !known.includes(f));
      if (unknown.length) return { kind: 'unknown_fields', fields: unknown, known };
    }
    const round = roundOf(rec);
    const existing = await store.decisionOf(id, round);
    if (existing) return this.again(rec, round, existing, decision);
    if (rec.status !== 'delivered') return { kind: 'not_delivered', status: rec.status };
    const { claimed, recorded } = await store.claimDecision(id, round, { ...decision, receivedAt: new Date().toISOString() });
    if (!claimed) return this.again(rec, round, recorded, decision);
    await this.deps.forward(id);
    return { kind: 'accepted', round, recorded };
  }

  /** Passes on the decision on the registration's current delivery, if one was taken and not yet passed on. */
  async settle(rec: RegistrationRecord): Promise<void> {
    const round = roundOf(rec);
    let entry = rec.decisions?.find((d) => d.round === round);
    if (!entry) {
      const taken = await this.deps.store.decisionOf(rec.id, round);
      if (!taken) return;
      entry = { ...taken, round };
      rec.decisions = [...(rec.decisions ?? []), entry];
      // Before the driver is told: their answer must find the registration waiting for it.
      if (entry.decision === 'needs_changes') await this.deps.desk.reopen(rec, entry.fields ?? []);
      else await this.deps.store.save(rec);
    }
    if (entry.passedOnAt) return;
    if (!entry.told) {
      if (rec.target) await this.deps.tell(rec.target, this.driverText(rec, entry));
      entry.told = true;
      await this.deps.store.save(rec);
    }
    if (rec.conversationId !== undefined) {
      await this.deps.conversations.note(rec.conversationId, this.agentNote(rec, entry));
      const label = entry.decision === 'approved' ? LABEL_APPROVED : entry.decision === 'rejected' ? LABEL_REFUSED : undefined;
      if (label) await this.deps.conversations.addLabel(rec.conversationId, label);
    }
    entry.passedOnAt = new Date().toISOString();
    await this.deps.store.save(rec);
    this.deps.logger.info({ registration: rec.id, round, decision: entry.decision }, 'backend decision passed on');
  }

  private async again(
    rec: RegistrationRecord,
    round: number,
    recorded: TakenDecision,
    decision: RegistrationDecision,
  ): Promise<DecisionVerdict> {
    if (!sameDecision(recorded, decision)) return { kind: 'conflict', round, recorded };
    // Taken before but perhaps never handed on (the process died in between): handing on again is harmless.
    if (!rec.decisions?.some((d) => d.round === round && d.passedOnAt)) await this.deps.forward(rec.id);
    return { kind: 'repeated', round, recorded };
  }

  /** What the backend may ask for again: the flow's fields and files, and any other answer it sent. */
  private knownFields(rec: RegistrationRecord): string[] {
    // As a record, so Object.values knows its values are strings (an interface has no index signature).
    const flowFields: Record<RegistrationFieldKey, string> = this.deps.fields;
    return [...new Set([...Object.values(flowFields), ...this.deps.fileFields, ...Object.keys(rec.fields)])];
  }

  private driverText(rec: RegistrationRecord, d: RecordedDecision): string {
    const lang = this.deps.language;
    const { desk } = this.deps;
    const parts = [
      d.decision === 'approved'
        ? say(lang, 'registrationApproved')
        : d.decision === 'rejected'
          ? say(lang, 'registrationRejected')
          : say(lang, 'registrationNeedsChanges', { fields: (d.fields ?? []).map((f) => desk.labelOf(f)).join(', ') }),
    ];
    if (d.message) parts.push(d.message);
    if (d.decision === 'needs_changes' && rec.fixing?.length) parts.push(desk.askFor(rec.fixing[0]));
    return parts.join('\n\n');
  }

  private agentNote(rec: RegistrationRecord, d: RecordedDecision): string {
    const what =
      d.decision === 'approved'
        ? 'approved'
        : d.decision === 'rejected'
          ? 'rejected'
          : `asked for changes to ${(d.fields ?? []).join(', ')}`;
    const words = d.message ? ` Its message: "${d.message}".` : '';
    const told = !rec.target
      ? ' No WhatsApp chat is known for this registration: the driver was not told.'
      : d.decision === 'needs_changes'
        ? ' The driver was asked on WhatsApp; the corrected registration goes to the backend once it is complete and valid.'
        : ' The driver was told on WhatsApp.';
    return `Registration ${rec.id}: the backend ${what}.${words}${told}`;
  }
}

/** The decision as it is compared and kept: a blank message is none, fields only with needs_changes. */
function normalized(input: RegistrationDecision): RegistrationDecision {
  const message = input.message?.trim();
  return {
    decision: input.decision,
    ...(message ? { message } : {}),
    ...(input.decision === 'needs_changes' && input.fields?.length ? { fields: [...new Set(input.fields)] } : {}),
  };
}

function sameDecision(a: RegistrationDecision, b: RegistrationDecision): boolean {
  return (
    a.decision === b.decision &&
    (a.message ?? '') === (b.message ?? '') &&
    JSON.stringify(a.fields ?? []) === JSON.stringify(b.fields ?? [])
  );
}
