import { DEFAULT_LABELS, fieldLabel, makeProblem } from './messages';
import { DEFAULT_FIELD_NAMES, DEFAULT_FILE_FIELDS, DEFAULT_MAX_FILE_MB, FIELD_KEYS } from './types';
import type {
  Check,
  LocalizedText,
  Problem,
  RegistrationDraft,
  RegistrationFieldKey,
  RegistrationFieldNames,
  RegistrationFile,
  ValidationResult,
} from './types';
import { validateEmail } from './validators/email';
import { validateFile } from './validators/file';
import { validateNif } from './validators/nif';
import { validatePhone } from './validators/phone';
import { validatePostalCode } from './validators/postal-code';
import { validateRequiredText } from './validators/required-text';

export interface ValidateOptions {
  fields?: Partial<RegistrationFieldNames>;
  /** Variables that must each hold at least one file. */
  fileFields?: readonly string[];
  maxFileMB?: number;
  /** Labels by variable name, for flows whose file variables are not the default ones. */
  labels?: Record<string, LocalizedText>;
}

/** Generous limits: long Portuguese names and addresses exist, but a pasted essay is a mistake. */
const MAX_LENGTHS: Partial<Record<RegistrationFieldKey, number>> = { name: 150, address: 250, city: 100 };

const RULES: Record<RegistrationFieldKey, (raw: string) => Check<string>> = {
  name: (raw) => validateRequiredText(raw, MAX_LENGTHS.name),
  nif: validateNif,
  phone: validatePhone,
  email: validateEmail,
  address: (raw) => validateRequiredText(raw, MAX_LENGTHS.address),
  postalCode: validatePostalCode,
  city: (raw) => validateRequiredText(raw, MAX_LENGTHS.city),
};

/**
 * Checks every field and file and reports all problems at once, so the driver fixes everything in one
 * round instead of discovering them one message at a time.
 */
export function validateRegistration(draft: RegistrationDraft, opts: ValidateOptions = {}): ValidationResult {
  const names: RegistrationFieldNames = { ...DEFAULT_FIELD_NAMES, ...opts.fields };
  const fileFields = opts.fileFields ?? DEFAULT_FILE_FIELDS;
  const maxFileMB = opts.maxFileMB ?? DEFAULT_MAX_FILE_MB;
  const labelOf = (variable: string, key?: RegistrationFieldKey): LocalizedText =>
    opts.labels?.[variable] ?? (key ? fieldLabel(key) : undefined) ?? DEFAULT_LABELS[variable] ?? { pt: variable, en: variable };

  const problems: Problem[] = [];
  const fields: Record<string, string> = {};
  for (const key of FIELD_KEYS) {
    const variable = names[key];
    const raw = draft.fields[variable] ?? '';
    // An empty NIF is "missing", not "must have 9 digits".
    const check = raw.trim() === '' ? validateRequiredText(raw) : RULES[key](raw);
    if (check.ok) fields[variable] = check.value;
    else problems.push(makeProblem(variable, check.code, labelOf(variable, key), check.vars));
  }
  // Other answers of the flow travel to the backend untouched.
  for (const [variable, value] of Object.entries(draft.fields)) if (!(variable in fields)) fields[variable] = value;

  const byField = new Map<string, RegistrationFile[]>();
  for (const f of draft.files) byField.set(f.field, [...(byField.get(f.field) ?? []), f]);
  const files: RegistrationFile[] = [];
  // Every file is checked, also extra ones: whatever is sent to the backend must be a real image or PDF.
  const toCheck = [...fileFields, ...[...byField.keys()].filter((f) => !fileFields.includes(f))];
  for (const field of toCheck) {
    const given = byField.get(field) ?? [];
    const seen = new Set<string>();
    for (const file of given.length > 0 ? given : [undefined]) {
      const check = validateFile(file, maxFileMB);
      if (check.ok) files.push(check.value);
      else if (!seen.has(check.code)) {
        seen.add(check.code);
        problems.push(makeProblem(field, check.code, labelOf(field), check.vars));
      }
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, normalized: { fields, files } };
}
