import { rig, type Rig } from '../unit/engines/wppconnect/harness';
import { describeEngineConformance, type ConformanceDriver, type ConformanceFacts, type InjectedMedia } from './engine-conformance';

/**
 * The seam's behaviour, shown by the wppconnect adapter driving the real wppconnect library (create(),
 * the Whatsapp client, its login flow and listeners) over a fake browser page that answers as WhatsApp
 * Web with wa-js 4.6.0 would (test/unit/engines/wppconnect/fake-*.ts). Media is encrypted as WhatsApp does
 * and fetched from a loopback "CDN" by decryptFile.
 */
const kindOf = (mimetype: string) =>
  mimetype.startsWith('image/') ? 'image' : mimetype.startsWith('video/') ? 'video' : mimetype.startsWith('audio/') ? 'audio' : 'document';
const asInput = (media: InjectedMedia, type = kindOf(media.mimetype)) => ({
  data: media.data,
  mimetype: media.mimetype,
  filename: media.filename,
  caption: media.caption,
  type,
});

/**
 * Every fact of ENGINES.md "Second look" is something this fake page does, including the three optional
 * ones: WhatsApp's time limit for deleting for everyone, the phone re-uploading old media, and a call
 * rejection wa-js refuses (`call_not_found` once the call is gone) all happen under wppconnect too.
 */
function wppconnectFacts(r: Rig): ConformanceFacts {
  return {
    knowByLid: async (from) => r.world.knowByLid(from),
    readMarks: () => [...r.world.readMarks],
    typingTargets: () => [...r.world.typingTargets],
    revokeTargets: () => [...r.world.revokeTargets],
    injectAlbum: async (from, pictures) => {
      const sent = await r.world.incomingAlbum(
        from,
        pictures.map((p) => asInput(p, 'image')),
      );
      return { albumId: sent.album.id, pictureIds: sent.pictures.map((p) => p.id) };
    },
    injectRoundVideo: async (from, media) => (await r.world.incomingMedia(from, asInput(media, 'ptv'))).id,
    editCaption: async (_from, messageId, caption) => r.world.editCaption(messageId, caption),
    withholdAcks: () => r.world.withholdAcks(),
    failNextSend: (code) => r.world.failNextSend(code),
    expireRevokeWindow: () => r.world.expireRevokeWindow(),
    injectReuploadingMedia: async (from, media) => {
      const { raw, finish } = await r.world.incomingReuploadingMedia(from, asInput(media));
      return { id: raw.id, finish };
    },
    breakCallRejection: () => r.world.breakCallRejection(),
  };
}

function wppconnectDriver(paired: boolean): ConformanceDriver {
  const r: Rig = rig({ paired });
  return {
    engine: r.engine,
    peer: '351912000111',
    injectText: async (from, text) => r.world.incoming(from, { type: 'chat', body: text }).id,
    injectMedia: async (from, media, options = {}) => (await r.world.incomingMedia(from, asInput(media), options.gone)).id,
    pair: async () => r.world.pair(),
    dispose: () => r.dispose(),
    facts: wppconnectFacts(r),
  };
}

// The library's own login loop polls every 200 ms to 1 s: give events a little more room than the simulator.
// The facts need only a connected session: they run once, on the paired start.
describeEngineConformance('wppconnect (already paired)', () => wppconnectDriver(true), {
  eventTimeoutMs: 10_000,
  facts: { optional: ['expireRevokeWindow', 'injectReuploadingMedia', 'breakCallRejection'] },
});
describeEngineConformance('wppconnect (needs a QR scan)', () => wppconnectDriver(false), { eventTimeoutMs: 10_000 });
