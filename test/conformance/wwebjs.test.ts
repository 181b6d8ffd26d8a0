/**
 * The whatsapp-web.js adapter against the conformance suite. No browser and no WhatsApp: the adapter
 * drives the library's real Client (LocalAuth, sendMessage, downloadMedia, logout, destroy, Message)
 * whose page is a fake WhatsApp Web (test/unit/engines/wwebjs/fake-wa-web.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { browserSchema, sessionSchema } from '../../src/config/schema';
import { WwebjsEngine } from '../../src/engines/wwebjs/wwebjs-engine';
import { createLogger } from '../../src/observability/logger';
import { removeTempDir, tempDir } from '../helpers/temp';
import { FakeWhatsAppWeb } from '../unit/engines/wwebjs/fake-wa-web';
import { describeEngineConformance, type ConformanceDriver } from './engine-conformance';

function wwebjsDriver(setup: { paired?: boolean; qrRotateMs?: number } = {}): ConformanceDriver {
  const dataDir = tempDir('ponte-wwebjs-conf-');
  const session = sessionSchema.parse({ id: 'conformance', engine: 'wwebjs' });
  const wa = new FakeWhatsAppWeb({ me: '351910000001', ackIntervalMs: 10, qrRotateMs: setup.qrRotateMs });
  if (setup.paired) {
    // A login LocalAuth stored on an earlier run.
    fs.mkdirSync(path.join(dataDir, 'session-conformance'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'session-conformance', 'ponte-fake-paired'), 'yes');
  }
  const engine = new WwebjsEngine(
    session,
    { browser: browserSchema.parse({}), dataDir, pairingTimeoutMs: 60_000, logger: createLogger({ level: 'silent', pretty: false }) },
    { createClient: wa.createClient },
  );
  return {
    engine,
    peer: '351912000111',
    injectText: async (from, text) => wa.injectText(from, text),
    injectMedia: async (from, media, options = {}) => wa.injectMedia(from, media, options.gone),
    pair: () => wa.pair(),
    dispose: async () => {
      await engine.disconnect();
      wa.dispose();
      removeTempDir(dataDir);
    },
  };
}

describeEngineConformance('whatsapp-web.js (needs a QR scan)', () => wwebjsDriver({ qrRotateMs: 50 }));
describeEngineConformance('whatsapp-web.js (login stored by LocalAuth)', () => wwebjsDriver({ paired: true }));
