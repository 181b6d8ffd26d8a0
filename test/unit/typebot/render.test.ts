import type { BotOutput } from '../../../src/bots/ports';
import type { ChatMessage, ClientSideAction, SlateNode } from '../../../src/typebot/chat-api-types';
import { renderBubble } from '../../../src/typebot/render/bubble';
import { renderClientAction } from '../../../src/typebot/render/client-action';
import { markdownToWhatsApp } from '../../../src/core/markdown/to-whatsapp';
import { richTextToWhatsApp } from '../../../src/typebot/render/rich-text';
import { cases } from './fixtures';

describe('rich text bubbles -> WhatsApp formatting', () => {
  test.each(cases<{ name: string; richText: SlateNode[]; expected: string }>('rich-text.json'))('%s', (_n, c) => {
    expect(richTextToWhatsApp(c.richText)).toBe(c.expected);
  });
});

describe('markdown bubbles -> WhatsApp formatting', () => {
  test.each(cases<{ name: string; markdown: string; expected: string }>('markdown.json'))('%s', (_n, c) => {
    expect(markdownToWhatsApp(c.markdown)).toBe(c.expected);
  });
});

describe('bubbles -> outputs', () => {
  test.each(cases<{ name: string; message: ChatMessage; expected: BotOutput | null }>('bubbles.json'))('%s', (_n, c) => {
    expect(renderBubble(c.message) ?? null).toEqual(c.expected);
  });
});

describe('client-side actions', () => {
  test.each(cases<{ name: string; action: ClientSideAction; maxWaitMs: number; expected: unknown }>('client-actions.json'))(
    '%s',
    (_n, c) => {
      expect(renderClientAction(c.action, c.maxWaitMs)).toEqual(c.expected);
    },
  );

  test('the wait cap is configurable', () => {
    expect(renderClientAction({ type: 'wait', wait: { secondsToWaitFor: 5 } }, 2000).output).toEqual({ kind: 'wait', ms: 2000 });
  });

  test('without a configured cap a wait stops at 10 s', () => {
    expect(renderClientAction({ type: 'wait', wait: { secondsToWaitFor: 3600 } }).output).toEqual({ kind: 'wait', ms: 10_000 });
  });
});
