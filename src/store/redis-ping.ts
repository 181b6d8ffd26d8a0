import Redis from 'ioredis';

/**
 * Connects to `url` once and sends PING: resolves when Redis answered, rejects with the reason when it
 * did not (refused, timed out, auth). No retries: a check wants the answer now (`ponte doctor`).
 */
export async function pingRedis(url: string, connectTimeoutMs = 3000): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: connectTimeoutMs,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect();
  }
}
