import pino from 'pino';
import { AckRelay } from '../../../src/from-agents/acks';
import type { AgentMessageSource } from '../../../src/core/ports';
import type { IdMap } from '../../../src/store/id-map';
import { waitFor, sleep } from '../../helpers/wait';

/** A helpdesk whose status updates take a while, so updates in flight could overtake each other. */
function fakeHelpdesk(latencyMs: (status: string) => number) {
  const applied: string[] = [];
  const source = {
    setStatus: async (_ref: unknown, status: string) => {
      await sleep(latencyMs(status));
      applied.push(status);
    },
  } as unknown as AgentMessageSource;
  return { source, applied };
}

describe('delivery ticks to helpdesk statuses', () => {
  test('ticks that arrive before the send is recorded still end at the newest status, in order', async () => {
    let mapped = false;
    const idMap = { byWa: async () => (mapped ? { conversationId: 1, messageId: 9 } : undefined) } as unknown as IdMap;
    const { source, applied } = fakeHelpdesk(() => 5);
    const acks = new AckRelay(idMap, source, pino({ level: 'silent' }));
    for (const ack of ['SENT', 'DELIVERED', 'READ'] as const) acks.handle('s', { messageId: 'W1', chatId: 'c', ack });
    setTimeout(() => (mapped = true), 50);
    await waitFor(() => applied.includes('read'), 3000);
    await sleep(300);
    expect(applied[applied.length - 1]).toBe('read');
    expect(applied).not.toContain('sent');
    acks.stop();
  });

  test('a slow "sent" update is never overtaken by "read", and a late "sent" tick does not undo "read"', async () => {
    const idMap = { byWa: async () => ({ conversationId: 1, messageId: 9 }) } as unknown as IdMap;
    const { source, applied } = fakeHelpdesk((status) => (status === 'sent' ? 80 : 1));
    const acks = new AckRelay(idMap, source, pino({ level: 'silent' }));
    acks.handle('s', { messageId: 'W2', chatId: 'c', ack: 'SENT' });
    await sleep(10);
    acks.handle('s', { messageId: 'W2', chatId: 'c', ack: 'READ' });
    await waitFor(() => applied.length === 2, 2000);
    acks.handle('s', { messageId: 'W2', chatId: 'c', ack: 'SENT' });
    await sleep(150);
    expect(applied).toEqual(['sent', 'read']);
    acks.stop();
  });
});
