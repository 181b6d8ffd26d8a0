import type Redis from 'ioredis';
import type { JourneyDirection, JourneyLog, JourneyRef, JourneyStep } from '../core/journey';
import { maskPhoneLike, type Logger } from '../observability/logger';
import type { Keys } from './keys';
import { luaScript } from './lua';
import { evalScript } from './scripts';

const NOTE = luaScript('journey-note');

export interface JourneySettings {
  enabled: boolean;
  /** Steps kept per message; the oldest go first. */
  maxSteps: number;
  /** How long a journey is kept after its last step. */
  retentionHours: number;
  /** Journeys `messages find` lists per chat; the least recent go first. */
  maxPerChat: number;
}

/** One step as `GET /admin/messages/{id}` shows it: when, which journey (`wa:<id>`, `cw:<id>`), what. */
export type ShownStep = JourneyStep & { at: string; journey: string };

export interface JourneyView {
  /** The id asked for. */
  id: string;
  direction: JourneyDirection;
  /** The session that took the message in, when the journey still has that step. */
  session?: string;
  /** The chat, phone masked. */
  chat?: string;
  /** Where the message is now: the name of its last step (a tick counts as delivered to WhatsApp). */
  status: string;
  /** Every id of the message on both sides: any of them finds this journey. */
  ids: { whatsapp: string[]; chatwoot: string[] };
  steps: ShownStep[];
}

export interface JourneySummary {
  /** What `ponte messages show` takes: the WhatsApp id of a message from WhatsApp, the Chatwoot id of an agent's. */
  id: string;
  direction: JourneyDirection;
  session?: string;
  kind?: string;
  /** When it was received (or its oldest step kept). */
  firstAt: string;
  /** Its last step's time. */
  lastAt: string;
  status: string;
  /** The last failure's reason, when its last step is a failure or a dead letter. */
  reason?: string;
}

type StoredStep = JourneyStep & { t: number };

/** Runs of digits as long as a phone number (shorter ones are counts, codes and durations): masked as the logs do. */
const PHONE_RUN = /\+?\d{8,}/g;

/** Free text (a failure's reason, a WhatsApp id) with its phone numbers masked like the logs' (`•••5678`). */
export function maskPhonesIn(text: string): string {
  return text.replace(PHONE_RUN, (digits) => `•••${digits.slice(-4)}`);
}

/** The digits naming a chat in the index: a phone number or a WhatsApp chat id (`351…@c.us`, `…:12@s.whatsapp.net`). */
export function chatDigits(chat: string): string {
  return chat.split('@')[0].split(':')[0].replace(/\D/g, '');
}

/**
 * Messages' journeys (core/journey.ts) in Redis. Each message has a list of steps (`journey:<side>:<id>`,
 * capped at maxSteps, expiring retentionHours after its last step), a set of the other side's ids it
 * was posted or sent as (`journey-links:…`, both ways, so either id finds it) and a place in its chat's
 * index (`journey-chat:<digits>`, scored by its last step). A step is one EVALSHA (lua/journey-note.lua)
 * sent without waiting: issued in the same tick as the relay's own commands, ioredis's auto-pipelining
 * puts it in the same write. Phone numbers are masked before they are stored; no message text is given.
 */
export class Journeys implements JourneyLog {
  private readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly settings: JourneySettings,
    private readonly logger?: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.ttlMs = Math.round(settings.retentionHours * 3600_000);
  }

  note(ref: JourneyRef, step: JourneyStep): void {
    if (!this.settings.enabled) return;
    const t = this.now();
    const stored = masked(step);
    const other = linkOf(step);
    const chats = [
      ...new Set(
        chatsOf(step)
          .map(chatDigits)
          .filter((d) => d.length > 0),
      ),
    ];
    const self = `${ref.side}:${ref.id}`;
    const [otherSide, otherId] = other ? [other.slice(0, 2), other.slice(3)] : [ref.side, ref.id];
    evalScript(
      this.redis,
      NOTE,
      3 + chats.length,
      this.keys.journey(ref.side, ref.id),
      this.keys.journeyLinks(ref.side, ref.id),
      this.keys.journeyLinks(otherSide, otherId),
      ...chats.map((d) => this.keys.journeyChat(d)),
      JSON.stringify({ t, ...stored }),
      this.settings.maxSteps,
      this.ttlMs,
      t,
      self,
      other ?? '',
      this.settings.maxPerChat,
    ).catch((err: Error) => this.logger?.debug({ err: { message: err.message }, step: step.step }, 'could not note a journey step'));
  }

  /**
   * The journey of a message by any of its ids: a WhatsApp id, a Chatwoot message id (digits), or either
   * prefixed (`wa:`, `cw:`). Undefined when no journey has it (never seen, or older than the retention).
   */
  async show(id: string): Promise<JourneyView | undefined> {
    const asked = candidates(id);
    // Up to three hops: a WhatsApp part finds its agent message, and from there the other parts.
    const found = new Set<string>();
    /** Journeys known to exist without steps of their own: linked to, or linking to, another. */
    const named = new Set<string>();
    let frontier = asked;
    for (let hop = 0; hop < 3 && frontier.length; hop++) {
      const links = await this.each(frontier, (j) => this.redis.smembers(this.linksKey(j)));
      frontier.forEach((j, i) => {
        found.add(j);
        if (links[i].length) named.add(j);
        for (const other of links[i]) named.add(other);
      });
      frontier = [...new Set(links.flat())].filter((j) => !found.has(j));
    }
    const all = [...found];
    const lists = await this.each(all, (j) => this.redis.lrange(this.stepsKey(j), 0, -1));
    const steps: ShownStep[] = [];
    all.forEach((j, i) => {
      if (lists[i].length) named.add(j);
      for (const raw of lists[i]) {
        const { t, ...step } = JSON.parse(raw) as StoredStep;
        steps.push({ at: new Date(t).toISOString(), journey: j, ...step });
      }
    });
    if (!steps.length) return undefined;
    steps.sort((a, b) => a.at.localeCompare(b.at));
    // An id asked for that names nothing (a Chatwoot id tried as a WhatsApp one too) is left out.
    const ids = all.filter((j) => named.has(j));
    const received = steps.find((s) => s.step === 'received');
    const origin = received?.journey ?? ids.find((j) => j.startsWith('cw:')) ?? ids[0];
    return {
      id,
      direction: origin.startsWith('cw:') ? 'from-agents' : 'from-whatsapp',
      session: received?.step === 'received' ? received.session : undefined,
      chat: received?.step === 'received' ? received.chat : undefined,
      status: statusOf(steps),
      ids: {
        whatsapp: ids.filter((j) => j.startsWith('wa:')).map((j) => j.slice(3)),
        chatwoot: ids.filter((j) => j.startsWith('cw:')).map((j) => j.slice(3)),
      },
      steps,
    };
  }

  /** A chat's journeys with a step since `sinceMs` (epoch ms), the most recent first, at most `limit`. */
  async find(chat: string, sinceMs: number, limit = 100): Promise<JourneySummary[]> {
    const digits = chatDigits(chat);
    if (!digits) return [];
    const members = await this.redis.zrevrangebyscore(this.keys.journeyChat(digits), '+inf', sinceMs, 'LIMIT', 0, limit);
    const lists = await this.each(members, (j) => this.redis.lrange(this.stepsKey(j), 0, -1));
    return members.flatMap((j, i) => {
      const steps = lists[i].map((raw) => JSON.parse(raw) as StoredStep);
      if (!steps.length) return [];
      const received = steps.find((s) => s.step === 'received');
      const last = steps[steps.length - 1];
      const failure = [...steps].reverse().find((s) => s.step === 'attempt-failed' || s.step === 'dead-letter');
      const failing = last.step === 'attempt-failed' || last.step === 'dead-letter';
      return [
        {
          id: j.slice(3),
          direction: j.startsWith('cw:') ? 'from-agents' : 'from-whatsapp',
          session: received?.step === 'received' ? received.session : undefined,
          kind: received?.step === 'received' ? received.kind : undefined,
          firstAt: new Date(steps[0].t).toISOString(),
          lastAt: new Date(last.t).toISOString(),
          status: statusOf(steps),
          ...(failing && failure && 'reason' in failure ? { reason: failure.reason } : {}),
        } satisfies JourneySummary,
      ];
    });
  }

  private stepsKey(journey: string): string {
    return this.keys.journey(journey.slice(0, 2), journey.slice(3));
  }

  private linksKey(journey: string): string {
    return this.keys.journeyLinks(journey.slice(0, 2), journey.slice(3));
  }

  /**
   * One command per journey, in one round trip: plain commands, which auto-pipelining batches in order
   * with the notes issued before them (an explicit pipeline would overtake those).
   */
  private async each<R>(journeys: string[], command: (journey: string) => Promise<R>): Promise<R[]> {
    return Promise.all(journeys.map(command));
  }
}

/** The journeys an id may name: a bare number is a Chatwoot message id, or a WhatsApp id made of digits. */
function candidates(id: string): string[] {
  if (/^(wa|cw):./.test(id)) return [id];
  return /^\d+$/.test(id) ? [`cw:${id}`, `wa:${id}`] : [`wa:${id}`];
}

/** The other side's id a step makes known, as the links name it. */
function linkOf(step: JourneyStep): string | undefined {
  if (step.step === 'posted') return `cw:${step.chatwoot}`;
  if (step.step === 'sent') return `wa:${step.whatsapp}`;
  return undefined;
}

function chatsOf(step: JourneyStep): string[] {
  const out: string[] = [];
  if ('chat' in step && step.chat) out.push(step.chat);
  if ('phone' in step && step.phone) out.push(step.phone);
  return out;
}

/** What is stored of a step: its phone numbers masked, in the chat, the phone, a reason or a WhatsApp id. */
function masked(step: JourneyStep): JourneyStep {
  const copy = { ...step } as Record<string, unknown>;
  for (const field of ['chat', 'phone'] as const) if (typeof copy[field] === 'string') copy[field] = maskPhoneLike(copy[field]);
  for (const field of ['reason', 'whatsapp'] as const) if (typeof copy[field] === 'string') copy[field] = maskPhonesIn(copy[field]);
  return copy as JourneyStep;
}

/** The last step that says where the message is (a duplicate intake does not); a tick says which (`delivered`). */
function statusOf(steps: JourneyStep[]): string {
  const telling = steps.filter((s) => s.step !== 'duplicate');
  const last = telling[telling.length - 1] ?? steps[steps.length - 1];
  return last.step === 'tick' ? last.status : last.step;
}
