import type { RegistrationRecord } from '../store/registrations';

/**
 * A registration can go to the backend more than once: after a `needs_changes` decision the driver sends
 * what was asked for again, and the corrected registration is a new delivery (round 2, 3, ...). Each round
 * is its own request, so it needs its own Idempotency-Key; meta.registrationId stays the same, so the
 * backend knows which registration it corrects.
 */
export function roundOf(rec: Pick<RegistrationRecord, 'round'>): number {
  return rec.round ?? 1;
}

/** The Idempotency-Key of this round's delivery: the id alone for the first (as it always was). */
export function deliveryKey(rec: Pick<RegistrationRecord, 'id' | 'round'>): string {
  const round = roundOf(rec);
  return round === 1 ? rec.id : `${rec.id}.${round}`;
}

/**
 * The files this round carries: all of them the first time; in a corrected round only those the backend
 * asked for again (it has the others, and Ponte may have deleted them once delivered).
 */
export function filesOfRound(rec: Pick<RegistrationRecord, 'files' | 'changes'>): RegistrationRecord['files'] {
  const changes = rec.changes;
  return changes ? rec.files.filter((f) => changes.includes(f.field)) : rec.files;
}

/** The current round was answered with needs_changes: the next valid queueing starts a new round. */
export function changesAsked(rec: Pick<RegistrationRecord, 'round' | 'decisions'>): boolean {
  const round = roundOf(rec);
  return !!rec.decisions?.some((d) => d.round === round && d.decision === 'needs_changes');
}
