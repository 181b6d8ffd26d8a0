import { itemContent, matchMultipleChoice, matchSingleChoice } from './answer-choice';
import {
  allowedExtensions,
  formatEmail,
  formatPhone,
  isUrl,
  parseDate,
  parseFileUrls,
  parseNumber,
  parseRating,
  parseTime,
} from './answer-formats';
import type { CompiledInput } from './flow-compiler';
import type { InputMessage } from './types';

export type ParsedAnswer =
  | { status: 'success'; content: string; next?: number; attachedFileUrls?: string[] }
  | { status: 'fail' }
  /** A file input that is not required, answered with nothing. */
  | { status: 'skip' };

const FAIL = { status: 'fail' } as const;
const ok = (content: string | undefined, extra: { next?: number; attachedFileUrls?: string[] } = {}): ParsedAnswer =>
  content === undefined ? FAIL : { status: 'success', content, ...extra };

/** validateAndParseInputMessage, per input type (CONTRACTS.md "Answer matching"). */
export function parseAnswer(input: CompiledInput, message: InputMessage | undefined): ParsedAnswer {
  const spec = input.spec;
  if (spec.type === 'text') {
    if (!message || message.type === 'command') return FAIL;
    if (message.type === 'audio') return ok(message.url);
    return ok(message.text, message.attachedFileUrls?.length ? { attachedFileUrls: message.attachedFileUrls } : {});
  }
  if (spec.type === 'file') {
    if (!message || message.type === 'command') return (spec.isRequired ?? true) ? FAIL : { status: 'skip' };
    const urls =
      message.type === 'text' && message.attachedFileUrls?.length
        ? message.attachedFileUrls
        : (message.type === 'audio' ? message.url : message.text)
            .split(/,\s*|\n+/)
            .map((u) => u.trim())
            .filter((u) => u !== '');
    const allowed = spec.allowedFileTypes?.length ? allowedExtensions(spec.allowedFileTypes) : undefined;
    if (!parseFileUrls(urls, allowed)) return FAIL;
    return ok(!spec.isMultipleAllowed && urls.length > 1 ? urls[0] : urls.join(', '));
  }
  if (!message || message.type !== 'text') return FAIL;
  const text = message.text;
  switch (spec.type) {
    case 'email':
      return ok(formatEmail(text));
    case 'url':
      return ok(isUrl(text) ? text : undefined);
    case 'phone':
      return ok(formatPhone(text, spec.defaultCountryCode));
    case 'number':
      return ok(parseNumber(text, spec.min, spec.max));
    case 'date':
      return ok(parseDate(text, spec));
    case 'time':
      return ok(parseTime(text));
    case 'rating':
      return ok(parseRating(text, spec.length, spec.startsAt));
    case 'choice':
    case 'picture choice': {
      if (spec.isMultipleChoice) {
        const picked = matchMultipleChoice(input.items, text);
        return picked.length === 0 ? FAIL : ok(picked.map(itemContent).join(', '));
      }
      const item = matchSingleChoice(input.items, text, message.metadata?.replyId);
      return item ? ok(itemContent(item), { next: item.next }) : FAIL;
    }
  }
}
