/**
 * The whatsapp-web.js adapter against the conformance suite. No browser and no WhatsApp: the adapter
 * drives the library's real Client, whose initialize(), inject(), event listeners and page helpers run
 * over a fake WhatsApp Web page (test/unit/engines/wwebjs/fake-wa-web/).
 */
import fs from 'node:fs';
import path from 'node:path';
import { browserSchema, sessionSchema } from '../../src/config/schema';
import { WwebjsEngine } from '../../src/engines/wwebjs/wwebjs-engine';
import { createLogger } from '../../src/observability/logger';
import { removeTempDir, tempDir } from '../helpers/temp';
import { FakeWhatsAppWeb } from '../unit/engines/wwebjs/fake-wa-web';
import { describeEngineConformance, type ConformanceDriver, type ConformanceFacts } from './engine-conformance';

/**
 * Every fact of ENGINES.md "Second look" is something the fake page does, the three optional ones
 * included: whatsapp-web.js turns a late revoke into "delete for me" (Message.delete), answers undefined
 * for media the phone is re-uploading (Message.downloadMedia), and its call rejection is a stanza
 * WhatsApp may ignore (Utils.js rejectCall, upstream 201746).
 */
function wwebjsFacts(wa: FakeWhatsAppWeb): ConformanceFacts {
  const { world } = wa;
  return {
    knowByLid: async (from) => wa.knowByLid(from),
    readMarks: () => [...world.readMarks],
    typingTargets: () => world.typing.filter((t) => t.state === 'typing').map((t) => t.chatId),
    revokeTargets: () => world.revokes.map((r) => r.chatId),
    injectAlbum: async (from, pictures) => wa.injectAlbum(from, pictures),
    injectRoundVideo: async (from, media) => wa.injectRoundVideo(from, media),
    editCaption: async (_from, messageId, caption) => wa.editCaption(messageId, caption),
    withholdAcks: () => {
      world.acksWithheld = true;
    },
    failNextSend: (code) => {
      world.nextSendAck = code;
    },
    expireRevokeWindow: () => wa.expireRevokeWindow(),
    injectReuploadingMedia: async (from, media) => wa.injectReuploadingMedia(from, media),
    breakCallRejection: () => {
      world.callRejectionBroken = true;
    },
  };
}

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
    // A refused call rejection is known after 3 s in production; the fake page needs no such patience.
    { createClient: wa.createClient, timings: { callRejectConfirmMs: 300, callRejectPollMs: 20 } },
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
    facts: wwebjsFacts(wa),
  };
}

describeEngineConformance('whatsapp-web.js (needs a QR scan)', () => wwebjsDriver({ qrRotateMs: 50 }));
// The facts need only a connected session: they run once, on the stored login.
describeEngineConformance('whatsapp-web.js (login stored by LocalAuth)', () => wwebjsDriver({ paired: true }), {
  facts: { optional: ['expireRevokeWindow', 'injectReuploadingMedia', 'breakCallRejection'] },
});
