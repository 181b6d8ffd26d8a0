import { describeError } from './util';

/**
 * wa-js refusals, recognised in what reaches Node. wa-js throws `WPPError(code, message)`, but puppeteer
 * rebuilds a page exception from its text alone (puppeteer-core `createEvaluationError`): the `code`
 * is lost and the message may come prefixed ("Error: Invalid quotedMsg"). So both the code and wa-js's
 * own wording are looked for.
 */

/**
 * wa-js `prepareRawMessage` refusing `quotedMsg`: the quoted message is not in WhatsApp Web
 * (`getMessageById`: "Message <id> not found"), is no message at all (`invalid_quoted_msg`), or cannot
 * be answered, e.g. it was deleted (`quoted_msg_can_not_reply`).
 */
export function isQuoteRefusal(err: unknown, quotedId: string): boolean {
  const text = describe(err);
  if (/invalid_quoted_msg|quoted_msg_can_not_reply|invalid quotedmsg|quotedmsg can not reply/i.test(text)) return true;
  return /msg_not_found|not found/i.test(text) && text.includes(quotedId);
}

/** wa-js `assertGetChat`: WhatsApp Web has no chat under exactly this id ("Chat not found for <id>"). */
export function isChatNotFound(err: unknown): boolean {
  return /chat_not_found|chat not found/i.test(describe(err));
}

function describe(err: unknown): string {
  const code = err && typeof err === 'object' && 'code' in err ? String(err.code) : '';
  // Not describeError's first line only: the code may sit anywhere in what the page said.
  const message = err instanceof Error ? err.message : describeError(err);
  return `${code} ${message}`;
}
