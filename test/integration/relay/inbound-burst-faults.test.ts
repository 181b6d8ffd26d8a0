import type { Harness } from '../../helpers/relay-harness';
import { startRelayHarness } from '../../helpers/relay-harness';
import { waitForCount } from '../../helpers/wait';
import { expectBurstDelivered, injectBurst, NUMBERS, PER_NUMBER } from './burst-helpers';

describe('WhatsApp -> Chatwoot: burst against a flaky Chatwoot', () => {
  let h: Harness;
  beforeAll(async () => {
    // Only the WhatsApp -> Chatwoot direction is measured: Chatwoot's webhooks back to Ponte are off.
    h = await startRelayHarness({ webhook: false });
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('30% of Chatwoot calls failing with 500: everything delivered exactly once, in order', async () => {
    const fault = h.chatwoot.fault({ path: '/api/v1/' }, { status: 500, probability: 0.3 });
    const started = Date.now();
    const expected = injectBurst(h, 'F');
    await waitForCount(() => h.chatwoot.messages().length, NUMBERS * PER_NUMBER, 20_000, '1,000 messages in Chatwoot').catch(
      async (err) => {
        const dlq = await h.daemon.relay!.inbound.deadLetters.list('inbound');
        process.stdout.write(
          `got ${h.chatwoot.messages().length} messages, ${dlq.length} dead letters, depth ${await h.daemon.relay!.inbound.inboundLanes.depth()}; ${dlq
            .slice(0, 3)
            .map((d) => d.reason)
            .join(' | ')}\n`,
        );
        throw err;
      },
    );
    const took = Date.now() - started;
    fault.clear();
    expect(fault.hits).toBeGreaterThan(500);
    expectBurstDelivered(h, expected);
    const dlq = await h.daemon.relay!.inbound.deadLetters.list('inbound');
    expect(dlq).toEqual([]);
    expect(h.chatwoot.rejections()).toEqual([]);
    process.stdout.write(`burst with 30% 500s: 1,000 messages relayed in ${took} ms (${fault.hits} injected failures)\n`);
  }, 300_000);
});
