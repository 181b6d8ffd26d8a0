import type { SessionManager } from './manager';

/** Whether this daemon runs a session (several daemons may share one Redis, each leasing some sessions). */
export function ownedHere(sessions: SessionManager): (sessionId: string) => boolean {
  return (id) => (sessions.status(id)?.owner ?? 'this') === 'this';
}

/** The same for a relay lane, named `<session>|<chat>`: its wake-ups are drained where its session runs. */
export function laneOwnedHere(sessions: SessionManager): (lane: string) => boolean {
  const owns = ownedHere(sessions);
  return (lane) => owns(lane.slice(0, lane.indexOf('|')));
}
