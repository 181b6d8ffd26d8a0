/**
 * A chat WhatsApp Web knows by linked id only (no phone behind it on this account): its messages are
 * relayed under the lid, and the server look-up for its phone is not repeated for every message.
 */
import Redis from 'ioredis';
import { LID_UNKNOWN_TTL_S } from '../../../src/from-whatsapp/chat-identity';
import { startRelayHarness, type Harness } from '../../helpers/relay-harness';

describe('WhatsApp -> Chatwoot: a linked id whose phone WhatsApp does not tell', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelayHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('one look-up for a burst of its messages, remembered for a while only', async () => {
    const lookups = jest.spyOn(h.sim(), 'resolveContact');
    const ids = ['first', 'second', 'third', 'fourth'].map((text, i) =>
      h.inject({ id: `LU-${i}`, from: '55443322110099@lid', pushName: 'Sem Número', type: 'text', text }),
    );
    for (const id of ids) await h.waitMessage(id);
    const asked = lookups.mock.calls.filter(([id]) => id === '55443322110099@lid');
    expect(asked).toHaveLength(1);
    // One contact, under the lid.
    expect(h.chatwoot.contacts().filter((c) => c.identifier === '55443322110099@lid')).toHaveLength(1);
    // "Unknown" is not kept for good: WhatsApp may learn the number.
    const redis = new Redis(h.redis.url);
    try {
      const keys = await redis.keys('*lid*55443322110099*');
      expect(keys).toHaveLength(1);
      const ttl = await redis.ttl(keys[0]);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(LID_UNKNOWN_TTL_S);
    } finally {
      redis.disconnect();
    }
  });
});
