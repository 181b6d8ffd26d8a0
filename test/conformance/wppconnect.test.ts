import { rig, type Rig } from '../unit/engines/wppconnect/harness';
import { describeEngineConformance, type ConformanceDriver } from './engine-conformance';

/**
 * The seam's behaviour, shown by the wppconnect adapter driving the real wppconnect library (create(),
 * the Whatsapp client, its login flow and listeners) over a fake browser page that answers as WhatsApp
 * Web would. Media is encrypted as WhatsApp does and fetched from a loopback "CDN" by decryptFile.
 */
function wppconnectDriver(paired: boolean): ConformanceDriver {
  const r: Rig = rig({ paired });
  const kindOf = (mimetype: string) => (mimetype.startsWith('image/') ? 'image' : mimetype.startsWith('video/') ? 'video' : mimetype.startsWith('audio/') ? 'audio' : 'document');
  return {
    engine: r.engine,
    peer: '351912000111',
    injectText: async (from, text) => r.world.incoming(from, { type: 'chat', body: text }).id,
    injectMedia: async (from, media, options = {}) =>
      (await r.world.incomingMedia(from, { data: media.data, mimetype: media.mimetype, filename: media.filename, caption: media.caption, type: kindOf(media.mimetype) }, options.gone)).id,
    pair: async () => r.world.pair(),
    dispose: () => r.dispose(),
  };
}

// The library's own login loop polls every 200 ms to 1 s: give events a little more room than the simulator.
describeEngineConformance('wppconnect (already paired)', () => wppconnectDriver(true), { eventTimeoutMs: 10_000 });
describeEngineConformance('wppconnect (needs a QR scan)', () => wppconnectDriver(false), { eventTimeoutMs: 10_000 });
