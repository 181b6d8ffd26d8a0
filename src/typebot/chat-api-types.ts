/**
 * The slice of Typebot's chat API (viewer `startChat` / `continueChat`, CONTRACTS.md Part 2) that Ponte
 * reads. Every field is optional unless the OpenAPI marks it required: responses come from a server we do
 * not control, so the renderers check what they use instead of trusting these types.
 */

/** What the user says to the flow (`message` in both requests). */
export type TypebotMessage =
  { type: 'text'; text: string; metadata?: { replyId?: string }; attachedFileUrls?: string[] } | { type: 'audio'; url: string };

export interface StartChatRequest {
  message?: TypebotMessage;
  /** Keys are Typebot variable NAMES. */
  prefilledVariables?: Record<string, string>;
  resultId?: string;
}

export interface ContinueChatRequest {
  /** Absent: a continue call with no answer (after a `wait` that expects one). */
  message?: TypebotMessage;
}

/** A Slate node of a rich-text bubble: an element (`p`, `a`, `ol`, ...) or a text leaf with marks. */
export interface SlateNode {
  type?: string;
  children?: SlateNode[];
  text?: string;
  url?: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
  code?: boolean;
  [key: string]: unknown;
}

/** Where a video bubble's video lives: url, youtube, vimeo, tiktok, gumlet, or a kind a newer Typebot adds. */
export type VideoSourceKind = string;

export type ChatMessage =
  | { id: string; type: 'text'; content: { type: 'richText'; richText?: SlateNode[] } | { type: 'markdown'; markdown: string } }
  | { id: string; type: 'image'; content: { url?: string; clickLink?: { url?: string; alt?: string } } }
  | { id: string; type: 'video'; content: { url?: string; id?: string; type?: VideoSourceKind } }
  | { id: string; type: 'audio'; content: { url?: string } }
  | { id: string; type: 'embed'; content: { url?: string; waitForEvent?: { isEnabled?: boolean } } }
  | { id: string; type: 'custom-embed'; content: { url?: string } };

export interface ChoiceItem {
  id: string;
  content?: string;
  value?: string;
}

export interface PictureChoiceItem {
  id: string;
  pictureSrc?: string;
  title?: string;
  description?: string;
  value?: string;
}

export interface CardItem {
  id: string;
  imageUrl?: string | null;
  title?: string | null;
  description?: string | null;
  paths?: Array<{ id: string; text?: string }>;
}

/** The awaited input. `options` differ per type; the input renderers read what they need. */
export interface ChatInput {
  id: string;
  type: string;
  items?: unknown[];
  options?: Record<string, unknown>;
  prefilledValue?: string;
}

export interface ClientSideAction {
  type: string;
  lastBubbleBlockId?: string;
  expectsDedicatedReply?: boolean;
  wait?: { secondsToWaitFor?: number };
  redirect?: { url?: string; isNewTab?: boolean };
  [key: string]: unknown;
}

export interface ChatLog {
  status?: string;
  description: string;
  details?: unknown;
}

export interface ContinueChatResponse {
  messages: ChatMessage[];
  input?: ChatInput;
  clientSideActions?: ClientSideAction[];
  logs?: ChatLog[];
  /** The answer as Typebot normalised it (a parsed date, a formatted phone). */
  lastMessageNewFormat?: string;
  progress?: number;
}

export interface StartChatResponse extends ContinueChatResponse {
  sessionId: string;
  resultId?: string;
  typebot: { id: string; version?: string };
}
