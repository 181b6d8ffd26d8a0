import fs from 'node:fs';
import path from 'node:path';
import type { EditEvent, ReactionEvent, RemoteMessage, RevokeEvent } from '../../../src/core/messages';
import type { ChatwootMessageDraft, ConvertContext } from '../../../src/chatwoot/converters';

export const FIXTURE_DIR = path.join(__dirname, '../../fixtures/converters');

/** Attachment bytes: base64 for media, plain text for vCards (readable in the fixture). */
type JsonAttachment = { filename: string; mimetype: string } & ({ data: string } | { text: string });

type JsonMedia =
  | { status: 'ok'; data: string; mimetype: string; filename?: string }
  | { status: 'too_large'; size: number; limitMB: number }
  | { status: 'gone' };

export interface ConverterFixture {
  name: string;
  message?: RemoteMessage;
  reaction?: ReactionEvent;
  edit?: EditEvent;
  revoke?: RevokeEvent;
  context: Omit<ConvertContext, 'media'> & { media?: JsonMedia };
  expected: Omit<ChatwootMessageDraft, 'attachments'> & { attachments: JsonAttachment[] };
}

export function readFixtures<T>(file: string): T[] {
  return JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, file), 'utf8')) as T[];
}

export function toContext(json: ConverterFixture['context']): ConvertContext {
  const { media, ...rest } = json;
  if (!media) return rest;
  if (media.status !== 'ok') return { ...rest, media };
  return { ...rest, media: { ...media, data: Buffer.from(media.data, 'base64') } };
}

/** Drafts as fixtures write them, so a failing case shows a readable diff. */
export function toJson(draft: ChatwootMessageDraft, expected: ConverterFixture['expected']): ConverterFixture['expected'] {
  return {
    ...draft,
    attachments: draft.attachments.map((a, i) => {
      const wantsText = expected.attachments[i] !== undefined && 'text' in expected.attachments[i];
      return wantsText
        ? { filename: a.filename, mimetype: a.mimetype, text: a.data.toString('utf8') }
        : { filename: a.filename, mimetype: a.mimetype, data: a.data.toString('base64') };
    }),
  };
}
