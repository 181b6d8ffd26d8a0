import type { SlateElement } from './rich-text';

/**
 * The scripted-flow DSL. A flow is an ordered list of steps; each step sends its bubbles, then its client-side
 * actions, then waits on its input (if any). Without `next`/`end` the following step runs; a flow ends when no
 * step is left, and the session is then deleted like on the real server.
 */
export interface FlowDefinition {
  /** Builder id: `typebot.id` in startChat and the path param of the results API. Default `typebot-<publicId>`. */
  typebotId?: string;
  /** Variables that exist in the bot besides the inputs' own; prefilledVariables with other names are ignored. */
  variables?: string[];
  steps: Step[];
  /** settings.general.systemMessages.invalidMessage; default "Invalid message. Please, try again.". */
  invalidMessage?: string;
  /** settings.general.rememberUser.isEnabled: only then does startChat reuse a `resultId` it is given. */
  rememberUser?: boolean;
  /** Merged into the `typebot.settings` sent by startChat. */
  settings?: { general?: Record<string, unknown>; typingEmulation?: Record<string, unknown> };
  theme?: Record<string, unknown>;
  version?: '3' | '4' | '5' | '6' | '6.1';
  publishedAt?: string;
}

export interface Step {
  /** Target of `next`; default `step-<index>`. Bubble and input block ids derive from it. */
  id?: string;
  /** A string is shorthand for rich(string). */
  bubbles?: BubbleSpec[];
  actions?: ActionSpec[];
  input?: InputSpec;
  /** Step id to run after this one (after the answer, unless the chosen item has its own `next`). */
  next?: string;
  /** End the flow after this step even if more steps follow. */
  end?: boolean;
}

export type BubbleSpec = string | Bubble;

export type Bubble =
  | { type: 'text'; richText: SlateElement[] }
  | { type: 'image'; content: { url: string; clickLink?: { url?: string; alt?: string } } }
  | { type: 'video'; content: VideoContent }
  | { type: 'audio'; content: { url: string; isAutoplayEnabled?: boolean } }
  | { type: 'embed'; content: { url: string; height?: number | string } };

export interface VideoContent {
  url?: string;
  id?: string;
  type?: 'url' | 'youtube' | 'vimeo' | 'tiktok' | 'gumlet';
  height?: number | string;
  aspectRatio?: string;
  maxWidth?: string;
  isAutoplayEnabled?: boolean;
  areControlsDisplayed?: boolean;
}

export type ActionSpec =
  | { type: 'wait'; secondsToWaitFor: number; expectsDedicatedReply?: boolean }
  | { type: 'redirect'; url: string; isNewTab?: boolean; expectsDedicatedReply?: boolean }
  /** Any other client-side action, sent verbatim (it must still match the OpenAPI). */
  | { type: 'raw'; action: { type: string; expectsDedicatedReply?: boolean } & Record<string, unknown> };

interface InputCommon {
  /** Variable (by name) the answer is stored in; declared automatically. */
  variable: string;
  /** Block id; default `<stepId>-input`. */
  id?: string;
  /** Extra wire options merged into `input.options` as they are. */
  options?: Record<string, unknown>;
}

export interface ChoiceItemSpec {
  id?: string;
  content: string;
  value?: string;
  /** Step to jump to when this item is chosen (single choice only). */
  next?: string;
}

export interface PictureItemSpec {
  id?: string;
  pictureSrc: string;
  title?: string;
  description?: string;
  value?: string;
  next?: string;
}

export type InputSpec = InputCommon &
  (
    | { type: 'text'; isLong?: boolean; attachments?: boolean; audioClip?: boolean }
    | { type: 'number'; min?: number; max?: number; step?: number }
    | { type: 'email'; retryMessageContent?: string }
    | { type: 'url'; retryMessageContent?: string }
    | { type: 'phone'; defaultCountryCode?: string; retryMessageContent?: string }
    | { type: 'date'; hasTime?: boolean; isRange?: boolean; format?: string; min?: string; max?: string }
    | { type: 'time'; format?: string }
    | { type: 'rating'; length?: number; buttonType?: 'Icons' | 'Numbers'; startsAt?: number }
    | { type: 'choice'; items: Array<string | ChoiceItemSpec>; isMultipleChoice?: boolean; buttonLabel?: string }
    | { type: 'picture choice'; items: PictureItemSpec[]; isMultipleChoice?: boolean }
    /** allowedFileTypes: extensions ("pdf", ".png"), MIME types ("application/pdf") or wildcards ("image/*"). */
    | { type: 'file'; isMultipleAllowed?: boolean; isRequired?: boolean; allowedFileTypes?: string[] }
  );

export type InputKind = InputSpec['type'];
