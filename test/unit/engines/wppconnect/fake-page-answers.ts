import type { EvalHandler } from './fake-page';
import type { FakeWaJs } from './fake-wa-js';
import type { FakeWhatsAppWeb } from './fake-whatsapp-web';

/**
 * What each function run in the page does with wa-js: the in-page bodies of wppconnect 2.3.3's methods
 * (node_modules/@wppconnect-team/wppconnect/dist/api/layers/*.js) and Ponte's own page functions
 * (src/engines/wppconnect/page-calls.ts), recognised by their source. Where several share a wa-js call,
 * the more specific needle comes first; what each passes on as options is the point: wa-js fills in
 * the rest with its defaults.
 */
export function pageAnswers(world: FakeWhatsAppWeb, wa: FakeWaJs): Array<[string, EvalHandler]> {
  const ref = (sent: { id: string; ack: number }) => ({ id: sent.id, ack: sent.ack });
  const mime = (data: string) => /^data:([^;]+);/.exec(data)?.[1];
  // wppconnect hands stickers over as bare base64 (select-sticker.js): wa-js tells WebP by its bytes.
  const sniff = (base64: string) =>
    Buffer.from(base64.slice(0, 24), 'base64').subarray(8, 12).toString() === 'WEBP' ? 'image/webp' : undefined;
  return [
    // Ponte's own page functions: the options as given, answers mapped to plain JSON in the page.
    [
      'ponteSendText',
      async ({ to, content, options }) =>
        ref(await wa.send(to, { type: 'chat', body: content }, options, { what: 'sendText', arg: { to, content, options } })),
    ],
    [
      'ponteSendContacts',
      async ({ to, contacts, options }) =>
        ref(
          await wa.send(
            to,
            contacts.length === 1 ? { type: 'vcard', vcardFormattedName: contacts[0].name } : { type: 'multi_vcard' },
            options,
            { what: 'sendContact', arg: { to, contacts, options } },
          ),
        ),
    ],
    [
      'ponteDelete',
      ({ chatId, messageId, revoke }) => {
        const done = wa.deleteMessage(chatId, messageId, revoke);
        return { isRevoked: done.isRevoked, isDeleted: done.isDeleted, sendMsgResult: done.sendMsgResult };
      },
    ],
    ['ponteMediaStage', (messageId: string) => world.mediaStage(wa.getMessageById(messageId).id)],
    // WhatsApp Web's own rule, reached through window.require (see FakeWaJs.canSenderRevokeMsg).
    ['ponteCanRevoke', (messageId: string) => wa.canSenderRevokeMsg(wa.getMessageById(messageId))],

    // wppconnect sendText: `{...options, waitForAck: true}` (the caller cannot turn the wait off), then
    // the sent message read back with WAPI.getMessageById.
    [
      'WPP.chat.sendTextMessage',
      async ({ to, content, options }) => {
        const sent = await wa.send(
          to,
          { type: 'chat', body: content },
          { ...options, waitForAck: true },
          { what: 'sendText', arg: { to, content, options } },
        );
        return { ...sent, sendMsgResult: { messageSendResult: 'OK' } };
      },
    ],
    // wppconnect sendPttFromBase64: its own options (no markIsRead: wa-js's default applies).
    [
      'isPtt: isPtt',
      async ({ to, base64, filename, caption, quotedMessageId, isPtt }) =>
        ref(
          await wa.send(
            to,
            { type: isPtt ? 'ptt' : 'audio', caption, filename, mimetype: mime(base64) },
            { type: 'audio', isPtt, filename, caption, quotedMsg: quotedMessageId, waitForAck: true },
            { what: 'sendFile', arg: { to, filename, caption, isPtt, size: base64.length } },
          ),
        ),
    ],
    // wppconnect sendImageFromBase64: its own options, mentions detected.
    [
      'mentionedList: mentionedList',
      async ({ to, base64, filename, caption, quotedMessageId }) =>
        ref(
          await wa.send(
            to,
            { type: 'image', caption, filename, mimetype: mime(base64) },
            { type: 'image', filename, caption, quotedMsg: quotedMessageId, waitForAck: true, detectMentioned: true },
            { what: 'sendFile', arg: { to, filename, caption, size: base64.length } },
          ),
        ),
    ],
    // wppconnect sendImageAsSticker: `{type: 'sticker', waitForAck: true, ...options}`.
    [
      "type: 'sticker'",
      async ({ to, webpBase64, options }) =>
        ref(
          await wa.send(
            to,
            { type: 'sticker', mimetype: mime(webpBase64) ?? sniff(webpBase64) },
            { type: 'sticker', waitForAck: true, ...options },
            { what: 'sendSticker', arg: { to, options } },
          ),
        ),
    ],
    // wppconnect sendFile: `{waitForAck: true, ...options}`.
    [
      'WPP.chat.sendFileMessage',
      async ({ to, base64, options }) => {
        const o = { waitForAck: true, ...options };
        const type = o.type === 'audio' && o.isPtt ? 'ptt' : o.type;
        return ref(
          await wa.send(to, { type, caption: o.caption, filename: o.filename, mimetype: mime(base64) }, o, {
            what: 'sendFile',
            arg: { to, filename: o.filename, caption: o.caption, options, size: base64.length },
          }),
        );
      },
    ],
    // wppconnect sendLocation: the options as given.
    [
      'WPP.chat.sendLocationMessage',
      async ({ to, options }) =>
        ref(
          await wa.send(
            to,
            { type: 'location', lat: options.lat, lng: options.lng, loc: [options.name, options.address].filter(Boolean).join('\n') },
            options,
            { what: 'sendLocation', arg: { to, options } },
          ),
        ),
    ],
    // wppconnect sendContactVcard(List): no options at all; its answer carries a send result that does
    // not survive puppeteer's serialisation, so Node gets undefined.
    [
      'WPP.chat.sendVCardContactMessage',
      async ({ to, contactsId, name, contacts }) => {
        await wa.send(
          to,
          { type: contacts ? 'multi_vcard' : 'vcard' },
          {},
          { what: 'sendContact', arg: { to, contactsId, name, contacts } },
        );
        return undefined;
      },
    ],
    ['WPP.chat.sendReactionToMessage', ({ msgId, reaction }) => wa.sendReaction(msgId, reaction)],
    // wppconnect deleteMessage: `(chatId, messageId, deleteMediaInDevice, !onlyLocal)`; it answers true
    // whatever wa-js said.
    [
      'WPP.chat.deleteMessage',
      ({ chatId, messageId, onlyLocal }) => {
        wa.deleteMessage(chatId, messageId, !onlyLocal);
        return true;
      },
    ],
    ['WPP.chat.markIsComposing', ({ to }) => wa.markIsComposing(to)],
    ['WPP.chat.markIsPaused', ({ to }) => wa.markIsPaused(to)],
    ['WPP.chat.markIsRead', (chatId: string) => wa.markIsRead(chatId)],
    ['WPP.contact.getPnLidEntry', (id: string) => wa.getPnLidEntry(id)],
    ['WPP.call.rejectCall', ({ callId }) => wa.rejectCall(callId)],
    [
      'WAPI.getMessageById',
      (arg: any) => {
        const id = typeof arg === 'string' ? arg : arg.messageId;
        const hit = world.find(id);
        if (!hit) throw new Error(`Message ${id} not found`);
        return hit;
      },
    ],
  ];
}
