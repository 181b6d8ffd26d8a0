/**
 * A burst of WhatsApp messages injected into a running daemon over `POST /admin/simulator/:session/inbound`,
 * counting what the daemon accepted (answered 202), and the check that every accepted message reached
 * Chatwoot exactly once, each chat in order. Shared by the crash and Ctrl-C tests.
 */
import type { ChatwootFake } from '../../fakes/chatwoot';
import { request, waitFor, type RunningPonte } from '../../helpers';

export interface BurstOptions {
  /** Message ids start with it (a test's own, so its Chatwoot messages can be told apart). */
  prefix: string;
  chats: number;
  perChat: number;
  /** Called after each 202, with the number accepted so far (a test stops the daemon from here). */
  onAccepted?: (count: number) => void;
}

export interface Burst {
  /** Ids the daemon answered 202 for. */
  accepted: Set<string>;
  /** Ids per chat in the order they were sent (accepted or not). */
  sent: Map<string, string[]>;
  /** Requests that got no answer, or another status than 202 (the daemon was going away). */
  refused: number;
}

/**
 * Each chat's messages go one after the other (their order is the chat's order), the chats in parallel.
 * A chat stops at its first request without a 202: the daemon is dying or stopping.
 */
export async function injectBurst(p: RunningPonte, o: BurstOptions): Promise<Burst> {
  const burst: Burst = { accepted: new Set(), sent: new Map(), refused: 0 };
  await Promise.all(
    Array.from({ length: o.chats }, async (_, i) => {
      const phone = `+3519128${String(i).padStart(5, '0')}`;
      const ids: string[] = [];
      burst.sent.set(phone, ids);
      for (let j = 0; j < o.perChat; j++) {
        const id = `${o.prefix}-${i}-${j}`;
        ids.push(id);
        const status = await request('POST', `${p.baseUrl}/admin/simulator/main/inbound`, {
          token: p.adminToken,
          json: { id, from: phone, type: 'text', text: `chat ${i} message ${j}`, pushName: `${o.prefix} ${i}` },
        }).then(
          (r) => r.status,
          () => 0,
        );
        if (status !== 202) {
          burst.refused += 1;
          return;
        }
        burst.accepted.add(id);
        o.onAccepted?.(burst.accepted.size);
      }
    }),
  );
  return burst;
}

/** Chatwoot messages of this burst, by WhatsApp id (the source_id is `WAID:<id>`). */
export function deliveredOf(fake: ChatwootFake, prefix: string): string[] {
  return fake
    .messages()
    .map((m) => m.source_id ?? '')
    .filter((s) => s.startsWith(`WAID:${prefix}-`))
    .map((s) => s.slice('WAID:'.length));
}

/**
 * Waits until every accepted message is in Chatwoot and `p`'s inbound lanes are empty, then checks: every
 * accepted message exactly once, any other one (persisted, its 202 lost with the process) at most once,
 * each chat's messages in the order they were sent.
 */
export async function expectAllAcceptedOnce(
  fake: ChatwootFake,
  p: RunningPonte,
  burst: Burst,
  prefix: string,
  timeoutMs = 30_000,
): Promise<void> {
  const missing = () => {
    const arrived = new Set(deliveredOf(fake, prefix));
    return [...burst.accepted].filter((id) => !arrived.has(id));
  };
  await waitFor(() => missing().length === 0, timeoutMs, 50, 'every accepted message in Chatwoot').catch((err: Error) => {
    const lost = missing();
    throw new Error(
      `${err.message}: ${lost.length} of ${burst.accepted.size} accepted messages never reached Chatwoot (${lost.slice(0, 5).join(', ')})`,
    );
  });
  await waitFor(async () => (await inboundDepth(p)) === 0, 10_000, 50, 'the inbound lanes empty');
  const delivered = deliveredOf(fake, prefix);
  const counts = new Map<string, number>();
  for (const id of delivered) counts.set(id, (counts.get(id) ?? 0) + 1);
  expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
  for (const id of burst.accepted) expect(counts.get(id)).toBe(1);
  const position = new Map(delivered.map((id, i) => [id, i]));
  for (const ids of burst.sent.values()) {
    const arrived = ids.filter((id) => position.has(id));
    expect(arrived.map((id) => position.get(id)!)).toEqual(arrived.map((id) => position.get(id)!).sort((a, b) => a - b));
  }
  expect((await p.admin('GET', '/admin/dlq')).body.entries).toEqual([]);
}

/** Items waiting in the daemon's inbound lanes (its /metrics). */
export async function inboundDepth(p: RunningPonte): Promise<number> {
  const text = (await request('GET', `${p.baseUrl}/metrics`)).text;
  const line = text.split('\n').find((l) => l.startsWith('ponte_queue_depth{') && l.includes('queue="inbound"'));
  if (!line) throw new Error('no ponte_queue_depth{queue="inbound"} in /metrics');
  return Number(line.split(/\s+/).pop());
}
