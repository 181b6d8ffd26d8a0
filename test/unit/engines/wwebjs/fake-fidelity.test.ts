/**
 * The fake WhatsApp Web against whatsapp-web.js alone, no Ponte code: each "Second look" fact shows up
 * exactly as the library's own code produces it for users. If one of these stops failing the way it
 * does here, the fake has become kinder than WhatsApp Web.
 */
import fs from 'node:fs';
import path from 'node:path';
import WAWebJS from 'whatsapp-web.js';
import { removeTempDir, tempDir } from '../../../helpers/temp';
import { FakeWhatsAppWeb } from './fake-wa-web';

const PEER = '351912000111';
const CHAT = `${PEER}@c.us`;

let wa: FakeWhatsAppWeb;
let dir: string;
let client: WAWebJS.Client;

async function start(options: Partial<WAWebJS.ClientOptions> = {}, paired = true): Promise<void> {
  dir = tempDir('ponte-wwebjs-fidelity-');
  if (paired) {
    fs.mkdirSync(path.join(dir, 'session-x'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'session-x', 'ponte-fake-paired'), 'yes');
  }
  wa = new FakeWhatsAppWeb({ ackIntervalMs: 5 });
  client = wa.createClient({
    authStrategy: new WAWebJS.LocalAuth({ clientId: 'x', dataPath: dir }),
    webVersionCache: { type: 'none' },
    ...options,
  });
  const ready = paired ? new Promise((r) => client.once('ready', r)) : Promise.resolve();
  await client.initialize();
  await ready;
}

afterEach(async () => {
  await client?.destroy().catch(() => undefined);
  wa?.dispose();
  if (dir) removeTempDir(dir);
});

test('getChats() refreshes the metadata of every group from the server (Utils.js getChatModel)', async () => {
  await start();
  for (const chat of [CHAT, '120363000000000001@g.us', '120363000000000002@g.us']) wa.seedHistory(chat, 1, Math.floor(Date.now() / 1000));
  await client.getChats();
  expect(wa.world.counters.groupsRefreshed.sort()).toEqual(['120363000000000001@g.us', '120363000000000002@g.us']);
});

test('fetchMessages({limit}) loads older history until it has limit messages (Chat.js)', async () => {
  const now = Math.floor(Date.now() / 1000);
  dir = '';
  await start();
  wa.seedHistory(CHAT, 120, now);
  const chat = await client.getChatById(CHAT);
  const before = wa.world.counters.earlierLoads;
  expect(await chat.fetchMessages({ limit: 60 })).toHaveLength(60);
  expect(wa.world.counters.earlierLoads - before).toBe(2);
});

test('a send to the phone form of a contact known by linked id is keyed under the lid (Utils.js findOrCreateLatestChat)', async () => {
  await start();
  const lid = wa.knowByLid(PEER);
  const sent = await client.sendMessage(CHAT, 'hi', { sendSeen: false });
  expect(sent.id.remote).toBe(lid);
});

test('Message.delete(true) past the time limit quietly deletes for this device only (Message.js canSenderRevokeMsg)', async () => {
  await start();
  const sent = await client.sendMessage(CHAT, 'old', { sendSeen: false });
  wa.expireRevokeWindow();
  await expect(sent.delete(true)).resolves.toBeUndefined();
  expect(wa.world.revokes).toEqual([]);
  expect(wa.world.deletesForMe.map((d) => d.messageId)).toEqual([sent.id._serialized]);
});

test('downloadMedia() is undefined while the phone re-uploads the media, like for media that is gone (Message.js)', async () => {
  await start();
  const { id } = wa.injectReuploadingMedia(PEER, { data: Buffer.from('x'), mimetype: 'image/jpeg' });
  const msg = await client.getMessageById(id);
  await expect(msg.downloadMedia()).resolves.toBeUndefined();
});

test('Call.reject() resolves although WhatsApp ignored it and the phone keeps ringing (Utils.js rejectCall, upstream 201746)', async () => {
  await start();
  wa.world.callRejectionBroken = true;
  const call = new Promise<WAWebJS.Call>((r) => client.once('call', r));
  const id = wa.ring(PEER);
  await expect((await call).reject()).resolves.toBeUndefined();
  expect(wa.ringing(id)).toBe(true);
});

test('sendMessage marks the chat read unless sendSeen is false (Client.js sendMessage)', async () => {
  await start();
  await client.sendMessage(CHAT, 'default options');
  await client.sendMessage(CHAT, 'sendSeen false', { sendSeen: false });
  expect(wa.world.readMarks).toEqual([CHAT]);
});

test('a refused pairing-code request rejects where nobody awaits it (Client.js inject starts requestPairingCode without await or catch)', async () => {
  dir = tempDir('ponte-wwebjs-fidelity-');
  wa = new FakeWhatsAppWeb();
  wa.world.pairingRefusal = new Error('rate-overlimit');
  client = wa.createClient({
    authStrategy: new WAWebJS.LocalAuth({ clientId: 'x', dataPath: dir }),
    webVersionCache: { type: 'none' },
    pairWithPhoneNumber: { phoneNumber: '351912345678' },
  });
  const lib = client as unknown as { requestPairingCode: (...args: unknown[]) => Promise<unknown> };
  const request = lib.requestPairingCode.bind(client);
  const outcomes: string[] = [];
  lib.requestPairingCode = (...args) => {
    const p = request(...args);
    // Observed here only so that this test process survives it; the library attaches nothing.
    p.then(
      () => outcomes.push('code'),
      (err: unknown) => outcomes.push(`rejected: ${String(err)}`),
    );
    return p;
  };
  // The start itself goes on as if nothing happened: the rejection has no awaiting caller.
  await expect(client.initialize()).resolves.toBeUndefined();
  await new Promise((r) => setTimeout(r, 30));
  expect(outcomes).toEqual(['rejected: Error: rate-overlimit']);
});

test('the QR code stops after the first and five more: the UNPAIRED_IDLE refresh runs window.require in Node (Client.js inject)', async () => {
  dir = tempDir('ponte-wwebjs-fidelity-');
  wa = new FakeWhatsAppWeb({ qrRotateMs: 5 });
  client = wa.createClient({ authStrategy: new WAWebJS.LocalAuth({ clientId: 'x', dataPath: dir }), webVersionCache: { type: 'none' } });
  const codes: string[] = [];
  client.on('qr', (qr: string) => codes.push(qr));
  await client.initialize();
  await new Promise((r) => setTimeout(r, 100));
  expect(codes).toHaveLength(6);
  expect(wa.doc().socket.state).toBe('UNPAIRED_IDLE');
  expect(wa.pageErrors().map(String)).toEqual(['ReferenceError: window is not defined']);
});
