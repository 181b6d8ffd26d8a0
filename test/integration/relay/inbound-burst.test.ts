import type { Harness } from '../../helpers/relay-harness';
import { startRelayHarness } from '../../helpers/relay-harness';
import { waitForCount } from '../../helpers/wait';
import { expectBurstDelivered, injectBurst, NUMBERS, PER_NUMBER } from './burst-helpers';

describe('WhatsApp -> Chatwoot: burst', () => {
  let h: Harness;
  beforeAll(async () => {
    // Only the WhatsApp -> Chatwoot direction is measured: Chatwoot's webhooks back to Ponte are off.
    h = await startRelayHarness({ webhook: false });
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('1,000 messages from 200 new numbers at once: 200 contacts, contact_inboxes and conversations, every chat in order', async () => {
    const started = Date.now();
    const expected = injectBurst(h, 'B');
    await waitForCount(() => h.chatwoot.messages().length, NUMBERS * PER_NUMBER, 20_000, '1,000 messages in Chatwoot');
    const took = Date.now() - started;
    expectBurstDelivered(h, expected);
    expect(h.chatwoot.rejections()).toEqual([]);
    process.stdout.write(`burst: 1,000 messages relayed in ${took} ms\n`);
  }, 300_000);
});
