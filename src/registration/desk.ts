import { createHash } from 'node:crypto';
import type { FlowResults } from '../bots/ports';
import type { FlowEndHook } from '../bots/runner';
import { say, type Language } from '../core/catalog';
import type { ChatTarget, HelpdeskConversations } from '../core/ports';
import type { MediaStore } from '../store/media-store';
import type { RegistrationRecord, RegistrationStore, StoredProblem } from '../store/registrations';
import { PermanentError } from '../queue/errors';
import type { DownloadOptions } from '../guarded-fetch/download';
import { fileHostRefusal } from './file-hosts';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { DEFAULT_LABELS, fieldLabel, registrationInvalidText } from './messages';
import { changesAsked, filesOfRound, roundOf } from './rounds';
import { FIELD_KEYS, type RegistrationDraft, type RegistrationFieldNames, type RegistrationFile } from './types';
import { validateRegistration } from './validate-registration';

export const LABEL_INVALID = 'registo-invalido';

export interface DeskSettings {
  bot: string;
  fields: RegistrationFieldNames;
  fileFields: string[];
  maxFileMB: number;
  /**
   * Hosts file answers may be fetched from (registration.fileHosts; `registrationFileHosts` gives its
   * default). Absent: none, only Ponte's own /media links are taken.
   */
  fileHosts?: string[];
}

export interface RegistrationDeskDeps {
  store: RegistrationStore;
  media: MediaStore;
  results?: FlowResults;
  conversations: HelpdeskConversations;
  /** Tells the driver something on WhatsApp (mirrored to Chatwoot). */
  tell: (target: ChatTarget, text: string) => Promise<void>;
  /** Fetches a file a flow answer points to when it is not one of Ponte's own /media links. */
  download: (url: string, maxBytes: number, options?: DownloadOptions) => Promise<{ data: Buffer; mimetype?: string }>;
  /** Queues a valid registration for delivery. */
  forward: (id: string) => Promise<void>;
  settings: DeskSettings;
  language: Language;
  metrics: Metrics;
  logger: Logger;
}

export interface IncomingAnswer {
  text?: string;
  /** A file the driver sent, already stored by Ponte (its /media link). */
  file?: { url: string; mimetype?: string; filename?: string };
}

/**
 * Takes a completed registration flow (or Typebot's HTTP Request block), checks it, and either queues it
 * for the backend or asks the driver, field by field, for what is wrong. One flow is one registration:
 * its id derives from the flow's result, so a repeated completion finds the existing one.
 */
export class RegistrationDesk {
  constructor(private readonly deps: RegistrationDeskDeps) {}

  readonly onFlowEnd: FlowEndHook = async ({ bot, target, state }) => {
    if (bot !== this.deps.settings.bot) return 'not_mine';
    const id = `reg-${hash(`${target.session}|${state.resultId ?? state.flowSessionId}`)}`;
    const existing = await this.deps.store.get(id);
    if (existing) {
      await this.resume(existing);
      return 'handled';
    }
    const answers = await this.answersOf(state.flowId, state.resultId, state.answers);
    await this.intake(
      {
        id,
        source: 'flow',
        session: target.session,
        target,
        conversationId: state.conversationId,
        phone: target.phone,
        resultId: state.resultId,
      },
      answers,
    );
    return 'handled';
  };

  /** A registration posted by the flow's HTTP Request block. */
  async fromHook(input: {
    session: string;
    target?: ChatTarget;
    conversationId?: number;
    phone?: string;
    resultId?: string;
    variables: Record<string, string>;
  }): Promise<RegistrationRecord> {
    const id = `reg-${hash(`${input.session}|${input.resultId ?? JSON.stringify(Object.entries(input.variables).sort())}`)}`;
    const existing = await this.deps.store.get(id);
    if (existing) {
      await this.resume(existing);
      return (await this.deps.store.get(id))!;
    }
    await this.intake(
      {
        id,
        source: 'hook',
        session: input.session,
        target: input.target,
        conversationId: input.conversationId,
        phone: input.phone,
        resultId: input.resultId,
      },
      input.variables,
    );
    return (await this.deps.store.get(id))!;
  }

  /** Whether the chat's next messages are corrections to a registration. */
  async claims(target: ChatTarget): Promise<boolean> {
    return !!(await this.deps.store.fixingIn(target.session, target.chatKey));
  }

  /** A correction from the driver: fills the field being asked for, then asks for the next or forwards. */
  async correction(target: ChatTarget, answer: IncomingAnswer): Promise<void> {
    const id = await this.deps.store.fixingIn(target.session, target.chatKey);
    const rec = id ? await this.deps.store.get(id) : undefined;
    if (!rec || rec.status !== 'fixing' || !rec.fixing?.length) return this.deps.store.setFixing(target.session, target.chatKey, undefined);
    const field = rec.fixing[0];
    const label = this.labelOf(field);
    if (this.deps.settings.fileFields.includes(field)) {
      if (!answer.file) return this.deps.tell(target, say(this.deps.language, 'registrationFileExpected', { field: label }));
      rec.files = rec.files.filter((f) => f.field !== field);
      rec.files.push(await this.keep(field, answer.file.url));
    } else {
      if (!answer.text?.trim()) return this.deps.tell(target, this.askFor(field));
      rec.fields[field] = answer.text.trim();
    }
    // Asked by the backend for several things: each is taken as it comes, and the whole is checked once
    // the last one is in (the others were valid before, so a check now would send it half corrected).
    if (rec.requested?.length) {
      rec.requested = rec.requested.filter((f) => f !== field);
      if (rec.requested.length) {
        rec.fixing = [...rec.requested];
        await this.deps.store.save(rec);
        return this.deps.tell(target, this.askFor(rec.fixing[0]));
      }
      delete rec.requested;
      return this.check(rec, true);
    }
    await this.check(rec);
  }

  /**
   * The backend asked for changes: the registration waits for the driver again, who is asked for `fields`
   * one at a time (the caller sends the first ask, with the backend's words). Only these files go out in
   * the corrected delivery.
   */
  async reopen(rec: RegistrationRecord, fields: string[]): Promise<void> {
    rec.status = 'fixing';
    rec.changes = [...fields];
    rec.requested = [...fields];
    rec.fixing = [...fields];
    delete rec.problems;
    await this.deps.store.save(rec);
    if (rec.target) await this.deps.store.setFixing(rec.session, rec.target.chatKey, rec.id);
  }

  /** "Envie agora: NIF." */
  askFor(field: string): string {
    return say(this.deps.language, 'registrationAsk', { field: this.labelOf(field) });
  }

  private async intake(
    base: Pick<RegistrationRecord, 'id' | 'source' | 'session' | 'target' | 'conversationId' | 'phone' | 'resultId'>,
    answers: Record<string, string>,
  ): Promise<void> {
    const { settings } = this.deps;
    const fields: Record<string, string> = {};
    const files: RegistrationRecord['files'] = [];
    for (const [name, value] of Object.entries(answers)) {
      if (!settings.fileFields.includes(name)) fields[name] = value;
      else for (const url of value.split(/,\s*/).filter(Boolean)) files.push(await this.keep(name, url));
    }
    const now = Date.now();
    const rec: RegistrationRecord = { ...base, status: 'fixing', fields, files, createdAt: now, updatedAt: now };
    if (!(await this.deps.store.create(rec))) return;
    this.deps.metrics.registrations.labels('received').inc();
    await this.check(rec, true);
  }

  /**
   * The same flow completing again: usually a repeat, but it is also how a registration cut short by a
   * crash gets going again (the flow's end is retried): one saved but never checked is checked now, one
   * queued but maybe never handed to the forwarder is handed again (delivery is idempotent).
   */
  private async resume(rec: RegistrationRecord): Promise<void> {
    if (rec.status === 'queued') await this.deps.forward(rec.id);
    else if (rec.status === 'fixing' && !rec.fixing) await this.check(rec, true);
  }

  /** Validates; a valid registration is queued, an invalid one asks the driver for the first thing to fix. */
  private async check(rec: RegistrationRecord, first = false): Promise<void> {
    const { settings, store } = this.deps;
    const changes = rec.changes;
    const fileFields = changes ? settings.fileFields.filter((f) => changes.includes(f)) : settings.fileFields;
    const result = validateRegistration(await this.draftOf(rec), { fields: settings.fields, fileFields, maxFileMB: settings.maxFileMB });
    if (result.ok) {
      // Corrected after the backend's needs_changes: a new delivery, with its own Idempotency-Key.
      if (changesAsked(rec)) {
        rec.round = roundOf(rec) + 1;
        delete rec.announced;
        delete rec.requested;
      }
      // Agents filter by the label: a registration fixed by the driver must leave that list. Before it is
      // saved as queued, so a failure here is retried with the correction that made it valid.
      if (rec.problems && rec.conversationId !== undefined) await this.deps.conversations.removeLabel(rec.conversationId, LABEL_INVALID);
      rec.fields = result.normalized.fields;
      rec.status = 'queued';
      delete rec.problems;
      delete rec.fixing;
      rec.submittedAt = new Date().toISOString();
      await store.save(rec);
      if (rec.target) await store.setFixing(rec.session, rec.target.chatKey, undefined);
      await this.deps.forward(rec.id);
      return;
    }
    const problems: StoredProblem[] = result.problems.map((p) => ({ field: p.field, code: p.code, message: p.message }));
    const previous = rec.fixing?.[0];
    rec.problems = problems;
    rec.fixing = [...new Set(problems.map((p) => p.field))];
    await store.save(rec);
    if (first) {
      this.deps.metrics.registrations.labels('invalid').inc();
      await this.reportInvalid(rec, result.problems);
    }
    if (!rec.target) return;
    await store.setFixing(rec.session, rec.target.chatKey, rec.id);
    const still = previous && rec.fixing[0] === previous ? problems.filter((p) => p.field === previous) : [];
    const text = first
      ? registrationInvalidText(result.problems, this.deps.language)
      : still.length
        ? registrationInvalidText(
            result.problems.filter((p) => p.field === previous),
            this.deps.language,
          )
        : '';
    const ask = this.askFor(rec.fixing[0]);
    await this.deps.tell(rec.target, text ? `${text}\n\n${ask}` : ask);
  }

  private async reportInvalid(rec: RegistrationRecord, problems: Array<{ message: { pt: string; en: string } }>): Promise<void> {
    if (rec.conversationId === undefined) return;
    const list = problems.map((p) => `- ${p.message[this.deps.language]}`).join('\n');
    await this.deps.conversations.note(
      rec.conversationId,
      `Registration ${rec.id} is invalid and was not forwarded; the driver was asked to fix:\n${list}`,
    );
    await this.deps.conversations.addLabel(rec.conversationId, LABEL_INVALID);
  }

  /** The flow's answers by variable name: the results API when configured, else Ponte's own record. */
  private async answersOf(
    flowId: string | undefined,
    resultId: string | undefined,
    own: Array<{ type: string; answer: string }>,
  ): Promise<Record<string, string>> {
    if (this.deps.results && flowId && resultId) {
      try {
        return await this.deps.results.variables(flowId, resultId);
      } catch (err) {
        this.deps.logger.warn(
          { err: { message: (err as Error).message } },
          "could not read the flow's results; using Ponte's own record of the answers",
        );
      }
    }
    // Without names, answers map onto the configured fields in the flow's order: text answers to the
    // text fields, file answers to the file fields.
    const { fields, fileFields } = this.deps.settings;
    const texts = own.filter((a) => a.type !== 'file input' && a.type !== 'choice input');
    const files = own.filter((a) => a.type === 'file input');
    const out: Record<string, string> = {};
    FIELD_KEYS.forEach((k, i) => {
      if (texts[i]) out[fields[k]] = texts[i].answer;
    });
    fileFields.forEach((f, i) => {
      if (files[i]) out[f] = files[i].answer;
    });
    return out;
  }

  /** A file answer kept in Ponte's store (pinned until delivery), fetched first when it is elsewhere. */
  private async keep(field: string, url: string): Promise<RegistrationRecord['files'][number]> {
    const { media } = this.deps;
    let id = media.idOf(url);
    let stored = id ? await media.get(id) : undefined;
    if (!stored) {
      try {
        const hosts = this.deps.settings.fileHosts ?? [];
        // Checked here as well as by the download: a hook body must not choose what Ponte fetches.
        const refusal = fileHostRefusal(url, hosts);
        if (refusal) throw new PermanentError(refusal);
        const file = await this.deps.download(url, this.deps.settings.maxFileMB * 1024 * 1024 * 2, {
          hosts,
          hostsName: 'registration.fileHosts',
        });
        stored = await media.put({
          data: file.data,
          mimetype: file.mimetype,
          filename: decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') || undefined,
        });
        id = stored.id;
      } catch (err) {
        if (!(err instanceof PermanentError)) throw err;
        this.deps.logger.warn({ field, reason: err.message }, 'a registration file was not fetched');
        // Refused, unreachable or too large: recorded as an empty file so validation names the field.
        stored = await media.put({ data: Buffer.alloc(0), filename: 'missing' });
        id = stored.id;
      }
    }
    await media.pin(id!, true);
    return { field, mediaId: id!, filename: stored.filename, mimetype: stored.mimetype, size: stored.size };
  }

  async draftOf(rec: RegistrationRecord): Promise<RegistrationDraft> {
    const files: RegistrationFile[] = [];
    for (const f of filesOfRound(rec)) {
      const read = await this.deps.media.read(f.mediaId);
      if (read && read.data.length) files.push({ field: f.field, filename: f.filename, mimetype: f.mimetype, data: read.data });
    }
    return { fields: { ...rec.fields }, files };
  }

  /** The field as the driver knows it ("NIF", "Carta de condução (frente)"). */
  labelOf(variable: string): string {
    const key = FIELD_KEYS.find((k) => this.deps.settings.fields[k] === variable);
    const label = key ? fieldLabel(key) : DEFAULT_LABELS[variable];
    return label ? label[this.deps.language] : variable;
  }
}

function hash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 16);
}
