import { createHash } from 'node:crypto';
import type Redis from 'ioredis';

const shas = new Map<string, string>();

/**
 * Runs a Lua script by its SHA1 (EVALSHA), sending the body only the first time a server lacks it
 * (NOSCRIPT: a fresh or restarted Redis). EVAL would ship and hash the whole script on every call, on
 * the hot path of every relayed message.
 */
export async function evalScript(redis: Redis, script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown> {
  let sha = shas.get(script);
  if (!sha) {
    sha = createHash('sha1').update(script).digest('hex');
    shas.set(script, sha);
  }
  try {
    return await redis.evalsha(sha, numKeys, ...args);
  } catch (err) {
    if (!/NOSCRIPT/.test((err as Error).message)) throw err;
    return redis.eval(script, numKeys, ...args);
  }
}
