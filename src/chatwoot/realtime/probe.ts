import { CableClient } from './cable-client';
import { roomIdentifier } from './frames';

export interface ProbeResult {
  ok: boolean;
  detail: string;
}

/**
 * One connect-and-subscribe to Chatwoot's RoomChannel, for `ponte doctor`: proves the endpoint is
 * reachable (proxies often do not forward websocket upgrades) and the pubsub_token is accepted.
 */
export async function probeCable(o: {
  url: string;
  origin?: string;
  pubsubToken: string;
  accountId: number;
  userId: number;
  timeoutMs: number;
}): Promise<ProbeResult> {
  const client = new CableClient({
    url: o.url,
    headers: o.origin ? { Origin: o.origin } : undefined,
    identifier: () => Promise.resolve(roomIdentifier({ pubsubToken: o.pubsubToken, accountId: o.accountId, userId: o.userId })),
    staleAfterMs: o.timeoutMs,
    subscribeTimeoutMs: o.timeoutMs,
    // Never retried within the probe: the first failure is the answer.
    reconnect: { baseMs: 60_000, maxMs: 60_000 },
  });
  try {
    return await new Promise<ProbeResult>((resolve) => {
      const timer = setTimeout(
        () => resolve({ ok: false, detail: `${o.url}: no confirmed subscription within ${o.timeoutMs} ms` }),
        o.timeoutMs,
      );
      client.on('state', (state) => {
        if (state !== 'subscribed') return;
        clearTimeout(timer);
        resolve({ ok: true, detail: `subscribed to RoomChannel at ${o.url}` });
      });
      client.on('retry', ({ reason }) => {
        clearTimeout(timer);
        const hint = /rejected/.test(reason) ? '' : ' (does the proxy in front of Chatwoot forward websocket upgrades on /cable?)';
        resolve({ ok: false, detail: `${o.url}: ${reason}${hint}` });
      });
      client.start();
    });
  } finally {
    await client.stop();
  }
}
