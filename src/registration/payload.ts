import { DEFAULT_FIELD_NAMES, DEFAULT_FILE_FIELDS, FIELD_KEYS } from './types';
import type { RegistrationDraft, RegistrationFieldNames } from './types';

/** Typebot's variable shape, which the Django endpoint already reads; several files make a list. */
export interface PayloadVariable {
  name: string;
  value: string | string[];
}

export interface RegistrationMeta {
  /** Also the Idempotency-Key: retries of one registration must land on one driver. */
  registrationId: string;
  session: string;
  /** The WhatsApp number the driver wrote from (E.164). */
  phone: string;
  resultId?: string | null;
  /** ISO 8601. */
  submittedAt: string;
  /** Only on a corrected delivery (2, 3, ...): the backend asked for changes and the driver made them. */
  round?: number;
  /** With `round`: the variables the driver sent again; files not listed are not sent twice. */
  changed?: string[];
}

/** Not in the old contract; extra keys are ignored by the backend but say what each base64 string is. */
export interface PayloadFileInfo {
  field: string;
  filename?: string;
  mimetype?: string;
  bytes: number;
}

export interface RegistrationPayload {
  variables: PayloadVariable[];
  meta: RegistrationMeta & { files: PayloadFileInfo[] };
}

export interface PayloadOrder {
  fields?: Partial<RegistrationFieldNames>;
  fileFields?: readonly string[];
}

/** Known names first in their usual order, then the rest alphabetically: the same draft always gives the same body. */
function ordered(names: string[], known: readonly string[]): string[] {
  const first = known.filter((n) => names.includes(n));
  return [...first, ...names.filter((n) => !first.includes(n)).sort()];
}

/** The JSON body for the backend (the string that is signed and sent) and its variables. */
export function buildPayload(
  draft: RegistrationDraft,
  meta: RegistrationMeta,
  order: PayloadOrder = {},
): { body: string; variables: PayloadVariable[]; payload: RegistrationPayload } {
  const names = { ...DEFAULT_FIELD_NAMES, ...order.fields };
  const variables: PayloadVariable[] = ordered(
    Object.keys(draft.fields),
    FIELD_KEYS.map((k) => names[k]),
  ).map((name) => ({ name, value: draft.fields[name] }));
  const fileFields = ordered([...new Set(draft.files.map((f) => f.field))], order.fileFields ?? DEFAULT_FILE_FIELDS);
  for (const field of fileFields) {
    const encoded = draft.files.filter((f) => f.field === field).map((f) => f.data.toString('base64'));
    variables.push({ name: field, value: encoded.length === 1 ? encoded[0] : encoded });
  }
  const files = fileFields
    .flatMap((field) => draft.files.filter((f) => f.field === field))
    .map((f) => ({ field: f.field, filename: f.filename, mimetype: f.mimetype, bytes: f.data.length }));
  const payload: RegistrationPayload = { variables, meta: { ...meta, resultId: meta.resultId ?? null, files } };
  return { body: JSON.stringify(payload), variables, payload };
}
