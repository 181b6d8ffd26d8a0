/**
 * The shapes a driver registration goes through: Typebot variables in, validated and normalised draft,
 * problems the driver is asked to fix.
 */

/** Logical field -> Typebot variable name; flows name their variables, so names are configurable. */
export interface RegistrationFieldNames {
  name: string;
  nif: string;
  phone: string;
  email: string;
  address: string;
  postalCode: string;
  city: string;
}

export type RegistrationFieldKey = keyof RegistrationFieldNames;

/** The names the first flow (and the Django backend) use. */
export const DEFAULT_FIELD_NAMES: Readonly<RegistrationFieldNames> = Object.freeze({
  name: 'nome_completo',
  nif: 'nif',
  phone: 'telefone',
  email: 'email',
  address: 'morada',
  postalCode: 'codigo_postal',
  city: 'cidade',
});

/** Driving licence front and back, proof of address. */
export const DEFAULT_FILE_FIELDS: readonly string[] = Object.freeze(['cnh_frente', 'cnh_verso', 'comprovante_morada']);

/** Fixed order of the logical fields: problems and payload variables follow it. */
export const FIELD_KEYS: readonly RegistrationFieldKey[] = Object.freeze([
  'name',
  'nif',
  'phone',
  'email',
  'address',
  'postalCode',
  'city',
]);

export const DEFAULT_MAX_FILE_MB = 10;

export interface RegistrationFile {
  /** Typebot variable name the file belongs to (e.g. cnh_frente). */
  field: string;
  filename?: string;
  /** As declared by the sender; after validation, the type the magic bytes show. */
  mimetype?: string;
  data: Buffer;
}

export interface RegistrationDraft {
  /** Text answers by Typebot variable name. */
  fields: Record<string, string>;
  /** A field may hold several files (Typebot file inputs can accept more than one). */
  files: RegistrationFile[];
}

export type ProblemCode =
  | 'required'
  | 'tooLong'
  | 'nifFormat'
  | 'nifFirstDigit'
  | 'nifCheckDigit'
  | 'postalCodeFormat'
  | 'emailFormat'
  | 'phoneFormat'
  | 'fileMissing'
  | 'fileEmpty'
  | 'fileTooLarge'
  | 'fileType';

export interface LocalizedText {
  pt: string;
  en: string;
}

export type ProblemVars = Record<string, string | number>;

export interface Problem {
  /** Typebot variable name, so the flow can ask for that variable again. */
  field: string;
  code: ProblemCode;
  vars?: ProblemVars;
  /** Rendered once so the problem can be logged, stored or sent without the catalogue. */
  message: LocalizedText;
}

/** What a single-rule validator answers: the normalised value, or why not. */
export type Check<T> = { ok: true; value: T } | { ok: false; code: ProblemCode; vars?: ProblemVars };

export type ValidationResult = { ok: true; normalized: RegistrationDraft } | { ok: false; problems: Problem[] };
