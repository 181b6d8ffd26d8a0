/**
 * Every sentence Ponte itself says to a WhatsApp user, in Portuguese (default) and English. Flows speak
 * for themselves; these cover what Ponte adds around them (hints, handoff, registration problems).
 */
export type Language = 'pt' | 'en';

const MESSAGES = {
  choiceHint: { pt: 'Responda com o número da opção.', en: 'Reply with the number of an option.' },
  choiceMultipleHint: {
    pt: 'Responda com os números das opções, separados por vírgulas (ex.: 1, 3).',
    en: 'Reply with the numbers of the options, separated by commas (e.g. 1, 3).',
  },
  choiceInvalid: {
    pt: 'Não reconheci essa opção. Responda com o número de uma das opções:',
    en: "I didn't recognise that option. Reply with the number of one of the options:",
  },
  fileExpected: {
    pt: 'Envie o ficheiro como anexo (foto ou documento).',
    en: 'Please send the file as an attachment (photo or document).',
  },
  ratingInvalid: { pt: 'Responda com um número de {min} a {max}.', en: 'Reply with a number from {min} to {max}.' },
  handoff: {
    pt: 'Um dos nossos agentes vai continuar a conversa consigo em breve.',
    en: 'One of our agents will continue the conversation with you shortly.',
  },
  botError: {
    pt: 'Estamos com um problema técnico. Um agente vai continuar a conversa consigo.',
    en: "We're having a technical problem. An agent will continue the conversation with you.",
  },
  registrationInvalid: {
    pt: 'Há dados do registo a corrigir:\n{problems}\nPor favor envie os dados corretos.',
    en: 'Some registration details need fixing:\n{problems}\nPlease send the correct details.',
  },
  registrationAsk: { pt: 'Envie agora: {field}.', en: 'Please send now: {field}.' },
  registrationFileExpected: {
    pt: 'Para {field}, envie uma foto ou um PDF como anexo.',
    en: 'For {field}, please send a photo or a PDF as an attachment.',
  },
  registrationReceived: {
    pt: 'Registo recebido. Vamos analisar os seus dados e entraremos em contacto.',
    en: "Registration received. We'll review your details and get back to you.",
  },
  registrationApproved: { pt: 'O seu registo foi aprovado. Bem-vindo!', en: 'Your registration has been approved. Welcome!' },
  registrationRejected: { pt: 'Lamentamos, o seu registo não foi aprovado.', en: 'We are sorry, your registration was not approved.' },
  registrationNeedsChanges: {
    pt: 'Analisámos o seu registo e precisamos que envie de novo: {fields}.',
    en: 'We reviewed your registration and need you to send again: {fields}.',
  },
} as const;

export type CatalogKey = keyof typeof MESSAGES;

/** The sentence for `key` in `lang`, with `{name}` placeholders filled from `vars`. */
export function say(lang: Language, key: CatalogKey, vars: Record<string, string | number> = {}): string {
  return MESSAGES[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export const CATALOG_KEYS = Object.keys(MESSAGES) as CatalogKey[];
