/**
 * The daemon in a process of its own for the cost benchmark: its memory (RSS, peak) is then the daemon's
 * alone, not the benchmark's or the Chatwoot stand-in's. Started by child-daemon.ts with the configuration
 * in PONTE_BENCH_CONFIG; driven over the IPC channel (requests `{id, cmd, ...}`, answers `{id, ok, ...}`).
 *
 * Files for the WhatsApp -> Chatwoot run are put on the simulated phone silently first and handed to the
 * relay afterwards, as the engine's event would: what is measured is the relay, not the injection.
 */
import { randomFillSync } from 'node:crypto';
import pino from 'pino';
import { validate } from '../../src/config/load';
import { startDaemon, type Daemon } from '../../src/main';
import type { SimulatorEngine } from '../../src/engines/simulator/simulator-engine';
import type { RemoteMessage } from '../../src/core/messages';

interface Request {
  id: number;
  cmd: string;
  [k: string]: unknown;
}

let daemon: Daemon | undefined;
const prepared: RemoteMessage[] = [];
let files = 0;

const sim = (): SimulatorEngine => daemon!.sessions.get('bench') as SimulatorEngine;
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

/** A WhatsApp Web message id as the real engines serialize it (`<fromMe>_<chat>_<id>`), so keys have their real length. */
export function realisticId(fromMe: boolean, chatId: string, n: number): string {
  return `${fromMe}_${chatId}_3EB0${n.toString(16).toUpperCase().padStart(16, '0')}`;
}

async function handle(req: Request): Promise<Record<string, unknown>> {
  switch (req.cmd) {
    case 'texts': {
      // {numbers, perNumber, offset}: perNumber messages from each of `numbers` phones, ids in the real form.
      const numbers = Number(req.numbers);
      const perNumber = Number(req.perNumber);
      const offset = Number(req.offset ?? 0);
      let n = offset;
      for (let round = 0; round < perNumber; round++) {
        for (let i = 0; i < numbers; i++) {
          const digits = phoneDigits(i);
          sim().inject({
            id: realisticId(false, `${digits}@c.us`, n),
            from: digits,
            type: 'text',
            text: `message ${n}`,
            fromMe: false,
            silent: false,
          });
          n += 1;
        }
      }
      return { injected: n - offset };
    }
    case 'sent':
      return { count: sim().sent().length };
    case 'prepare-media': {
      // {count, bytes, kind, mimetype, ext}: files put on the simulated phone, no event yet. Straight into
      // its store, each file's bytes once: the simulator's inject() takes base64, and the copies it would
      // leave behind (freed, but kept by the allocator) would be counted as the relay's.
      const count = Number(req.count);
      const bytes = Number(req.bytes);
      const phone = (sim() as unknown as { store: { add(m: RemoteMessage, b: Buffer): void } }).store;
      for (let i = 0; i < count; i++) {
        const digits = phoneDigits(900 + i);
        const chatId = `${digits}@c.us`;
        const id = realisticId(false, chatId, 1_000_000 + files++);
        const m: RemoteMessage = {
          id,
          chatId,
          from: chatId,
          fromMe: false,
          timestamp: Math.floor(Date.now() / 1000),
          kind: req.kind as RemoteMessage['kind'],
          media: { mimetype: String(req.mimetype), filename: `file-${i}.${String(req.ext)}`, size: bytes, handle: id },
          isGroup: false,
        };
        phone.add(m, randomFillSync(Buffer.allocUnsafe(bytes)));
        prepared.push(m);
      }
      return {};
    }
    case 'emit-media': {
      // The engine's events for every prepared file, at once.
      for (const m of prepared.splice(0)) void daemon!.relay!.inbound.inbound.ingest('bench', { type: 'message', message: m });
      return {};
    }
    case 'gc':
      gc();
      await new Promise((r) => setTimeout(r, 50));
      gc();
      return { rss: process.memoryUsage().rss };
    case 'depth':
      return { inbound: await daemon!.relay!.inbound.inboundLanes.depth(), outbound: await daemon!.relay!.outbound.outboundLanes.depth() };
    case 'stop':
      await daemon?.stop();
      setImmediate(() => process.exit(0));
      return {};
    default:
      throw new Error(`unknown command ${req.cmd}`);
  }
}

export function phoneDigits(i: number): string {
  return `3519${String(10000000 + i).padStart(8, '0')}`;
}

async function main(): Promise<void> {
  const config = validate(JSON.parse(process.env.PONTE_BENCH_CONFIG ?? '{}') as Record<string, unknown>, 'bench');
  daemon = await startDaemon(config, pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' }));
  process.on('message', (raw) => {
    const req = raw as Request;
    handle(req).then(
      (res) => process.send!({ id: req.id, ok: true, ...res }),
      (err: Error) => process.send!({ id: req.id, ok: false, error: err.message }),
    );
  });
  process.send!({ id: 0, ok: true, port: daemon.http.port });
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench daemon failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
