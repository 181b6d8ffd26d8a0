import { richText } from './rich-text';
import type { SlateElement, SlateNode, SlateText } from './rich-text';
import type { ActionSpec, Bubble, ChoiceItemSpec, InputSpec, PictureItemSpec, VideoContent } from './flow-types';

/** Shorthands for writing flows; each returns a plain DSL object, so writing the objects by hand works too. */

type Opts<K extends InputSpec['type']> = Omit<Extract<InputSpec, { type: K }>, 'type' | 'variable'>;

// Bubbles
export const rich = (source: string): Bubble => ({ type: 'text', richText: richText(source) });
export const slate = (...richTextNodes: SlateElement[]): Bubble => ({ type: 'text', richText: richTextNodes });
export const image = (url: string, clickLink?: { url?: string; alt?: string }): Bubble => ({ type: 'image', content: { url, clickLink } });
export const video = (url: string, content: Omit<VideoContent, 'url'> = { type: 'url' }): Bubble => ({
  type: 'video',
  content: { url, ...content },
});
export const audio = (url: string, isAutoplayEnabled?: boolean): Bubble => ({ type: 'audio', content: { url, isAutoplayEnabled } });
export const embed = (url: string, height?: number | string): Bubble => ({ type: 'embed', content: { url, height } });

// Explicit Slate nodes, for what rich() cannot say
export const paragraph = (...children: SlateNode[]): SlateElement => ({
  type: 'p',
  children: children.length > 0 ? children : [{ text: '' }],
});
export const leaf = (text: string, marks: Omit<SlateText, 'text'> = {}): SlateText => ({ text, ...marks });
export const link = (url: string, text: string): SlateElement => ({ type: 'a', url, children: [{ text }] });
export const list = (kind: 'ul' | 'ol', ...items: Array<string | SlateNode[]>): SlateElement => ({
  type: kind,
  children: items.map((item) => ({
    type: 'li',
    children: [{ type: 'lic', children: typeof item === 'string' ? [{ text: item }] : item }],
  })),
});

// Client-side actions
export const wait = (secondsToWaitFor: number, opts: { expectsDedicatedReply?: boolean } = {}): ActionSpec => ({
  type: 'wait',
  secondsToWaitFor,
  ...opts,
});
export const redirect = (url: string, opts: { isNewTab?: boolean; expectsDedicatedReply?: boolean } = {}): ActionSpec => ({
  type: 'redirect',
  url,
  ...opts,
});
export const rawAction = (action: Extract<ActionSpec, { type: 'raw' }>['action']): ActionSpec => ({ type: 'raw', action });

// Inputs: the first argument is the variable the answer is stored in
export const textInput = (variable: string, opts: Opts<'text'> = {}): InputSpec => ({ type: 'text', variable, ...opts });
export const numberInput = (variable: string, opts: Opts<'number'> = {}): InputSpec => ({ type: 'number', variable, ...opts });
export const emailInput = (variable: string, opts: Opts<'email'> = {}): InputSpec => ({ type: 'email', variable, ...opts });
export const urlInput = (variable: string, opts: Opts<'url'> = {}): InputSpec => ({ type: 'url', variable, ...opts });
export const phoneInput = (variable: string, opts: Opts<'phone'> = {}): InputSpec => ({ type: 'phone', variable, ...opts });
export const dateInput = (variable: string, opts: Opts<'date'> = {}): InputSpec => ({ type: 'date', variable, ...opts });
export const timeInput = (variable: string, opts: Opts<'time'> = {}): InputSpec => ({ type: 'time', variable, ...opts });
export const ratingInput = (variable: string, opts: Opts<'rating'> = {}): InputSpec => ({ type: 'rating', variable, ...opts });
export const fileInput = (variable: string, opts: Opts<'file'> = {}): InputSpec => ({ type: 'file', variable, ...opts });
export const choiceInput = (
  variable: string,
  items: Array<string | ChoiceItemSpec>,
  opts: Omit<Opts<'choice'>, 'items'> = {},
): InputSpec => ({ type: 'choice', variable, items, ...opts });
export const pictureChoiceInput = (
  variable: string,
  items: PictureItemSpec[],
  opts: Omit<Opts<'picture choice'>, 'items'> = {},
): InputSpec => ({ type: 'picture choice', variable, items, ...opts });
