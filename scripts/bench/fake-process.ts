/**
 * The Chatwoot fake in its own process for benchmarks, as a real Chatwoot would be: the relay and the
 * floor then do not share an event loop with the server they call. Reports its URL on stdout.
 */
import { randomFillSync } from 'node:crypto';
import express from 'express';
import { ChatwootFake } from '../../test/fakes/chatwoot';

async function main(): Promise<void> {
  const fake = new ChatwootFake({ inboxes: [{ id: 1 }], emitApiEvents: false });
  const url = await fake.start();
  const control = express();
  control.use(express.json());
  control.get('/count', (_req, res) => {
    res.json({ messages: fake.messageCount(), requests: fake.requestCount() });
  });
  control.get('/answered', (_req, res) => {
    // source_id -> when Chatwoot answered its create
    const out: Record<string, number> = {};
    for (const r of fake.requests()) {
      const src = (r.body as { source_id?: string } | undefined)?.source_id;
      if (r.method === 'POST' && src && r.answeredAt && r.status === 200) out[src] = r.answeredAt;
    }
    res.json(out);
  });
  control.get('/conversations', (_req, res) => {
    // The chats' conversations (source id a WhatsApp id), not one Ponte keeps for itself.
    res.json(
      fake
        .conversations()
        .filter((c) => /@(c\.us|g\.us|lid)$/.test(c.source_id))
        .map((c) => c.id),
    );
  });
  control.post('/webhook', (req, res) => {
    fake.setWebhook(req.body as { url: string; secret: string });
    res.json({ ok: true });
  });
  control.post('/agent/:conv', async (req, res) => {
    // Attachments are described ({filename, content_type, bytes}) and made here: the benchmark never holds them.
    const body = req.body as { content?: string; attachments?: Array<{ filename: string; content_type: string; bytes: number }> };
    const attachments = body.attachments?.map((a) => ({
      filename: a.filename,
      content_type: a.content_type,
      data: randomFillSync(Buffer.allocUnsafe(a.bytes)),
    }));
    const m = await fake.agentMessage(Number(req.params.conv), { content: body.content, ...(attachments ? { attachments } : {}) });
    res.json({ id: m.id });
  });
  control.get('/tally', (_req, res) => {
    // Messages that carry files, and status updates (ticks) received: read once per phase (it copies the log).
    const withFiles = fake.messages().filter((m) => m.attachments.length > 0 && m.message_type === 'incoming').length;
    const statusUpdates = fake.requests().filter((r) => r.method === 'PATCH').length;
    res.json({ withFiles, statusUpdates });
  });
  const server = control.listen(0, '127.0.0.1', () => {
    const port = (server.address() as { port: number }).port;
    process.stdout.write(`${JSON.stringify({ url, control: `http://127.0.0.1:${port}`, token: fake.apiToken })}\n`);
  });
  process.on('SIGTERM', () => void fake.stop().then(() => process.exit(0)));
}

void main();
