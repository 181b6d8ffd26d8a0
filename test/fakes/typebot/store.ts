import { randomBytes } from 'node:crypto';
import type { CompiledFlow } from './flow-compiler';
import type { Cursor } from './flow-runner';
import type { VariableValue } from './rich-text';
import type { AnswerRecord, Rejection, RequestLogEntry } from './types';

/** Like Typebot's chat session row: the flow it runs (a later addFlow does not change it), the cursor and variables. */
export interface SessionRecord {
  id: string;
  publicId: string;
  resultId: string;
  flow: CompiledFlow;
  cursor: Cursor;
  vars: Map<string, VariableValue>;
  expired: boolean;
}

export interface ResultRecord {
  id: string;
  typebotId: string;
  publicId: string;
  createdAt: string;
  variableIds: Map<string, string>;
  variables: Map<string, VariableValue>;
  answers: AnswerRecord[];
  isCompleted: boolean;
  hasStarted: boolean;
  lastChatSessionId: string | null;
}

export type FaultRoute = 'startChat' | 'continueChat' | 'results';

export interface PlannedFailure {
  status: number;
  only?: FaultRoute;
  /** Sent as the Retry-After header (seconds or an HTTP-date), as a rate limiter or a proxy does. */
  retryAfter?: string;
}

export class FakeStore {
  readonly flows = new Map<string, CompiledFlow>();
  readonly closed = new Set<string>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly results = new Map<string, ResultRecord>();
  readonly log: RequestLogEntry[] = [];
  readonly rejections: Rejection[] = [];
  readonly failures: PlannedFailure[] = [];
  readonly delays: number[] = [];
  /** While set, every request (of its route) gets this failure: an outage until `up()`. */
  outage: PlannedFailure | undefined;
  readonly startedAt = new Date().toISOString();

  /** Typebot ids are cuid2: a letter then 24 lowercase base-36 characters. */
  newId(): string {
    const bytes = randomBytes(24);
    return `c${[...bytes].map((b) => (b % 36).toString(36)).join('')}`;
  }

  takeFailure(route: FaultRoute | undefined): PlannedFailure | undefined {
    if (this.outage && (this.outage.only === undefined || this.outage.only === route)) return this.outage;
    const i = this.failures.findIndex((f) => f.only === undefined || f.only === route);
    return i < 0 ? undefined : this.failures.splice(i, 1)[0];
  }

  /** Keeps the flows and the closed bots. */
  reset(): void {
    this.sessions.clear();
    this.results.clear();
    this.log.length = 0;
    this.rejections.length = 0;
    this.failures.length = 0;
    this.delays.length = 0;
    this.outage = undefined;
  }
}
