import type { StartContext } from '../bots/ports';

const PLACEHOLDER = /\{(phone|name|session)\}/g;

/**
 * Typebot variables to set at the start: each template with `{phone}`, `{name}` and `{session}` filled
 * from the chat. A variable whose template needs a value the chat does not have (a contact without a
 * name) is left out, so the flow's own default applies instead of a half-filled text.
 */
export function renderPrefilledVariables(templates: Record<string, string>, ctx: StartContext): Record<string, string> {
  const values: Record<string, string | undefined> = { phone: ctx.phone, name: ctx.name, session: ctx.session };
  const out: Record<string, string> = {};
  for (const [variable, template] of Object.entries(templates)) {
    let missing = false;
    const value = template.replace(PLACEHOLDER, (_m, key: string) => {
      const v = values[key];
      if (v === undefined || v === '') missing = true;
      return v ?? '';
    });
    if (!missing) out[variable] = value;
  }
  return out;
}
