import { isChatNotFound, isQuoteRefusal } from '../../../../src/engines/wppconnect/wa-errors';
import { asPageException } from './fake-page';
import { WPPError } from './fake-wa-js';

/** wa-js refusals as they reach Node: rebuilt by puppeteer from their text, wa-js's `code` gone. */
const QUOTED = 'false_351912000111@c.us_3EB0QUOTED';
const fromPage = (code: string, message: string) => asPageException(new WPPError(code, message));

test('puppeteer drops the code: only the words are left', () => {
  expect(fromPage('invalid_quoted_msg', 'Invalid quotedMsg')).toMatchObject({ message: 'Error: Invalid quotedMsg', name: 'WPPError' });
  expect(fromPage('invalid_quoted_msg', 'Invalid quotedMsg')).not.toHaveProperty('code');
});

test.each([
  ['msg_not_found', `Message ${QUOTED} not found`],
  ['invalid_quoted_msg', 'Invalid quotedMsg'],
  ['quoted_msg_can_not_reply', 'QuotedMsg can not reply'],
])('%s is a refused quote, with or without its code', (code, message) => {
  expect(isQuoteRefusal(fromPage(code, message), QUOTED)).toBe(true);
  expect(isQuoteRefusal(new WPPError(code, message), QUOTED)).toBe(true);
});

test('"not found" about something other than the quoted message is not a refused quote', () => {
  expect(isQuoteRefusal(fromPage('chat_not_found', 'Chat not found for 351912000111@c.us'), QUOTED)).toBe(false);
  expect(isQuoteRefusal(fromPage('msg_not_found', 'Message false_x@c.us_OTHER not found'), QUOTED)).toBe(false);
  expect(isQuoteRefusal(new Error('Protocol error: Target closed'), QUOTED)).toBe(false);
});

test('chat_not_found, with or without its code', () => {
  expect(isChatNotFound(fromPage('chat_not_found', 'Chat not found for 351912000111@c.us'))).toBe(true);
  expect(isChatNotFound(new WPPError('chat_not_found', 'whatever'))).toBe(true);
  expect(isChatNotFound(fromPage('msg_not_found', 'Message x not found'))).toBe(false);
});
