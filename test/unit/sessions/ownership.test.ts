/**
 * A SessionManager whose sessions run only while this daemon holds their lease: what the leases
 * (src/core/session-lease.ts) drive through claim / release / ownedElsewhere.
 */
import { SessionNotOwnedError } from '../../../src/sessions/manager';
import { rig, type Rig } from './support';

let rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs) await r.sm.stopAll();
  rigs = [];
});

function leased(options: Parameters<typeof rig>[0] = {}): Rig {
  const r = rig({ ...options, manager: { leased: true } });
  rigs.push(r);
  return r;
}

async function stateGauge(r: Rig): Promise<Record<string, number>> {
  const { values } = await r.metrics.sessionState.get();
  return Object.fromEntries(values.filter((v) => v.labels.session === r.sim.id).map((v) => [v.labels.state as string, v.value]));
}

test('a leased session does not connect at start, and keeps the daemon unready until its owner is known', async () => {
  const r = leased();
  await r.sm.startAll();
  expect(r.states).toEqual([]);
  expect(r.sm.status(r.sim.id)).toMatchObject({ state: 'STANDBY', owner: 'none', reason: 'waiting for the session lease' });
  expect(r.sm.connecting()).toEqual([r.sim.id]);
});

test('claim connects the session here', async () => {
  const r = leased();
  await r.sm.startAll();
  await r.sm.claim(r.sim.id, 'host-a:8080');
  await r.waitState('CONNECTED');
  expect(r.sm.status(r.sim.id)).toMatchObject({ owner: 'this', ownerId: 'host-a:8080', me: '+351910000000' });
  expect(r.sm.status(r.sim.id)!.reason).toBeUndefined();
  expect((await stateGauge(r)).CONNECTED).toBe(1);
});

test('a session another daemon runs is shown with its owner, has no state series here, and does not hold up readiness', async () => {
  const r = leased();
  await r.sm.startAll();
  r.sm.ownedElsewhere(r.sim.id, 'host-b:8080');
  expect(r.sm.status(r.sim.id)).toMatchObject({
    state: 'STANDBY',
    owner: 'other',
    ownerId: 'host-b:8080',
    reason: 'owned by daemon host-b:8080',
  });
  expect(r.sm.connecting()).toEqual([]);
  // no "not connected" alert from the daemon that does not run it
  expect(await stateGauge(r)).toEqual({});
  // pairing and logout belong to the owner: a 409 that names it
  const err = await r.sm.login(r.sim.id).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SessionNotOwnedError);
  expect(err).toMatchObject({ status: 409, message: `session ${r.sim.id} runs on daemon host-b:8080: use that daemon's admin API` });
  await expect(r.sm.logout(r.sim.id)).rejects.toBeInstanceOf(SessionNotOwnedError);
  expect(r.states).toEqual([]);
});

test('release disconnects at once and the session is not reconnected here', async () => {
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
  try {
    const r = leased();
    await r.sm.startAll();
    await r.sm.claim(r.sim.id, 'me');
    await jest.advanceTimersByTimeAsync(10);
    expect(r.sm.status(r.sim.id)!.state).toBe('CONNECTED');
    await r.sm.release(r.sim.id, 'the session lease expired or was taken by another daemon');
    expect(r.sm.status(r.sim.id)).toMatchObject({
      state: 'STANDBY',
      owner: 'none',
      reason: 'the session lease expired or was taken by another daemon',
    });
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    expect(r.states.filter((s) => s === 'CONNECTING')).toHaveLength(1);
    expect(await r.metric('ponte_session_reconnects_total')).toBe(0);
    // and back when the lease is ours again
    await r.sm.claim(r.sim.id, 'me');
    await jest.advanceTimersByTimeAsync(10);
    expect(r.sm.status(r.sim.id)).toMatchObject({ state: 'CONNECTED', owner: 'this' });
  } finally {
    jest.useRealTimers();
  }
});

test('without leases every session is owned by this daemon', async () => {
  const r = rig();
  rigs.push(r);
  await r.sm.startAll();
  await r.waitState('CONNECTED');
  expect(r.sm.status(r.sim.id)).toMatchObject({ owner: 'this' });
  expect(r.sm.status(r.sim.id)!.ownerId).toBeUndefined();
});
