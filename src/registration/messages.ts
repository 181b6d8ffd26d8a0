import { say } from '../core/catalog';
import type { Language } from '../core/catalog';
import { DEFAULT_FIELD_NAMES } from './types';
import type { LocalizedText, Problem, ProblemCode, ProblemVars, RegistrationFieldKey } from './types';

/** What the driver reads for each problem; `{label}` is the field as the driver knows it. */
const PROBLEM_TEXTS: Record<ProblemCode, LocalizedText> = {
  required: { pt: '{label}: campo obrigatório, não pode ficar vazio.', en: '{label}: required, it cannot be empty.' },
  tooLong: { pt: '{label}: texto demasiado longo (máximo {max} caracteres).', en: '{label}: too long (at most {max} characters).' },
  nifFormat: { pt: 'NIF inválido: deve ter 9 dígitos.', en: 'Invalid NIF: it must have 9 digits.' },
  nifFirstDigit: { pt: 'NIF inválido: nenhum NIF começa por {prefix}.', en: 'Invalid NIF: no NIF starts with {prefix}.' },
  nifCheckDigit: { pt: 'NIF inválido: o dígito de controlo não confere.', en: 'Invalid NIF: the check digit does not match.' },
  postalCodeFormat: { pt: 'Código postal inválido: use o formato 1234-567.', en: 'Invalid postal code: use the format 1234-567.' },
  emailFormat: {
    pt: 'Email inválido: verifique o endereço (ex.: nome@exemplo.pt).',
    en: 'Invalid email: check the address (e.g. name@example.com).',
  },
  phoneFormat: {
    pt: 'Telefone inválido: indique um número português de 9 dígitos ou um número internacional com o indicativo (ex.: +351 912 345 678).',
    en: 'Invalid phone number: give a 9-digit Portuguese number or an international number with its country code (e.g. +351 912 345 678).',
  },
  fileMissing: { pt: '{label}: falta o ficheiro; envie uma foto ou um PDF.', en: '{label}: the file is missing; send a photo or a PDF.' },
  fileEmpty: {
    pt: '{label}: o ficheiro recebido está vazio; envie-o novamente.',
    en: '{label}: the file received is empty; please send it again.',
  },
  fileTooLarge: {
    pt: '{label}: o ficheiro tem {sizeMB} MB e o máximo é {maxMB} MB.',
    en: '{label}: the file is {sizeMB} MB and the maximum is {maxMB} MB.',
  },
  fileType: {
    pt: '{label}: tipo de ficheiro não aceite; envie JPEG, PNG, HEIC ou PDF.',
    en: '{label}: file type not accepted; send JPEG, PNG, HEIC or PDF.',
  },
};

const FIELD_LABELS: Record<RegistrationFieldKey, LocalizedText> = {
  name: { pt: 'Nome completo', en: 'Full name' },
  nif: { pt: 'NIF', en: 'NIF (tax number)' },
  phone: { pt: 'Telefone', en: 'Phone' },
  email: { pt: 'Email', en: 'Email' },
  address: { pt: 'Morada', en: 'Address' },
  postalCode: { pt: 'Código postal', en: 'Postal code' },
  city: { pt: 'Cidade', en: 'City' },
};

/** Labels by variable name for the default flow; other flows pass their own or get the variable name. */
export const DEFAULT_LABELS: Readonly<Record<string, LocalizedText>> = Object.freeze({
  ...Object.fromEntries((Object.keys(FIELD_LABELS) as RegistrationFieldKey[]).map((k) => [DEFAULT_FIELD_NAMES[k], FIELD_LABELS[k]])),
  cnh_frente: { pt: 'Carta de condução (frente)', en: 'Driving licence (front)' },
  cnh_verso: { pt: 'Carta de condução (verso)', en: 'Driving licence (back)' },
  comprovante_morada: { pt: 'Comprovativo de morada', en: 'Proof of address' },
});

/** The label of a logical field, whatever variable name the flow gave it. */
export function fieldLabel(key: RegistrationFieldKey): LocalizedText {
  return FIELD_LABELS[key];
}

/** Numbers read naturally in each language ("1,5 MB" in Portuguese). */
function formatVar(value: string | number, lang: Language): string {
  if (typeof value === 'string') return value;
  return lang === 'pt' ? String(value).replace('.', ',') : String(value);
}

function fill(template: string, vars: Record<string, string | number>, lang: Language): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? formatVar(vars[name], lang) : whole));
}

/** A problem with its message rendered in both languages. */
export function makeProblem(field: string, code: ProblemCode, label: LocalizedText, vars?: ProblemVars): Problem {
  const render = (lang: Language) => fill(PROBLEM_TEXTS[code][lang], { ...vars, label: label[lang] }, lang);
  return { field, code, ...(vars ? { vars } : {}), message: { pt: render('pt'), en: render('en') } };
}

/** The bullet list the driver receives, one line per problem. */
export function describeProblems(problems: readonly Problem[], lang: Language = 'pt'): string {
  return problems.map((p) => `• ${p.message[lang]}`).join('\n');
}

/** The whole WhatsApp message: the catalogue's framing around the bullet list. */
export function registrationInvalidText(problems: readonly Problem[], lang: Language = 'pt'): string {
  return say(lang, 'registrationInvalid', { problems: describeProblems(problems, lang) });
}

export const PROBLEM_CODES = Object.keys(PROBLEM_TEXTS) as ProblemCode[];
export function problemTemplate(code: ProblemCode): LocalizedText {
  return PROBLEM_TEXTS[code];
}
