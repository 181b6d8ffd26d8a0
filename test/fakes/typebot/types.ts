import type { VariableValue } from './rich-text';
import type { FlowDefinition } from './flow-types';

/** What goes over the wire (CONTRACTS.md Part 2). The OpenAPI validator, not these types, is the authority. */
export type TextBubbleContentFormat = 'richText' | 'markdown';

export interface ChatMessage {
  id: string;
  type: string;
  content: unknown;
}

export interface WireInput {
  id: string;
  type: string;
  options: Record<string, unknown>;
  items?: Array<Record<string, unknown>>;
  prefilledValue?: string;
}

export interface WireAction {
  type: string;
  lastBubbleBlockId?: string;
  expectsDedicatedReply?: boolean;
  [key: string]: unknown;
}

export type InputMessage =
  | { type: 'text'; text: string; metadata?: { replyId?: string }; attachedFileUrls?: string[] }
  | { type: 'audio'; url: string }
  | { type: 'command'; command: string };

/** oRPC's error JSON (`defined` is false for errors a procedure did not declare, which is all of Typebot's). */
export interface OrpcErrorBody {
  defined: boolean;
  code: string;
  status: number;
  message: string;
  data?: unknown;
}

export interface TypebotFakeOptions {
  flows?: Record<string, FlowDefinition>;
  port?: number;
  /** Bearer token of the builder results API; default 'typebot-results-token'. */
  resultsToken?: string;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  body: unknown;
  /** 0 until answered. */
  status: number;
  at: number;
  /** Answered by failNext, not by the fake's logic. */
  fault?: boolean;
}

export type RejectionKind =
  'schema' | 'malformed' | 'not_found' | 'session_not_found' | 'session_expired' | 'bot_closed' | 'auth' | 'fake_bug';

/** Every answer the real server would also refuse (4xx), and 500s that are bugs of the fake ('fake_bug'). */
export interface Rejection {
  method: string;
  path: string;
  status: number;
  kind: RejectionKind;
  reason: string;
  body: unknown;
}

export interface AnswerRecord {
  blockId: string;
  variable: string;
  content: string;
  attachedFileUrls?: string[];
  sessionId: string;
}

export interface ResultView {
  id: string;
  typebotId: string;
  publicId: string;
  createdAt: string;
  variables: Record<string, VariableValue>;
  answers: AnswerRecord[];
  isCompleted: boolean;
  hasStarted: boolean;
  lastChatSessionId: string | null;
}

export interface SessionView {
  sessionId: string;
  publicId: string;
  resultId: string;
  /** Where the session stands: before the flow (isOnlyRegistering), on an input, or paused on an action. */
  awaiting: 'start' | 'input' | 'resume';
  stepId?: string;
  expired: boolean;
}
