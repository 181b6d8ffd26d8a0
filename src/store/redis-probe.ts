import Redis from 'ioredis';

/**
 * The process id of the redis-server answering on a loopback port, or undefined while nothing answers
 * (or it is still loading its data). A free port found a moment ago can be taken by someone else's
 * redis-server before ours binds it: comparing this id with our child's pid is how a starter knows it
 * talks to its own server and not to a stranger's.
 */
export async function redisProcessId(port: number): Promise<number | undefined> {
  const probe = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    const info = await probe.info('server');
    const pid = /^process_id:(\d+)/m.exec(info)?.[1];
    if (!pid || /^loading:1/m.test(info)) return undefined;
    return Number(pid);
  } catch {
    return undefined;
  } finally {
    // disconnect() on an already closed client leaves a 2 s timer behind (ioredis), keeping the process up.
    if (probe.status !== 'end') probe.disconnect();
  }
}

/** redis-server's own words when the port it was given is already bound. */
export function lostPortRace(output: string): boolean {
  return /address already in use/i.test(output);
}
