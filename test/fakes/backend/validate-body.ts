/** DRF-style errors: `{field: ["message"]}`, nested dicts for nested serializers. */
export type DrfErrors = Record<string, unknown>;

export interface ParsedRegistration {
  fields: Record<string, string>;
  files: Record<string, Buffer[]>;
  meta: Record<string, unknown>;
}

const REQUIRED = 'This field is required.';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function decodeBase64(value: string): Buffer | undefined {
  const compact = value.replace(/\s/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

/** What the Django view's serializer checks: the `{variables, meta}` shape, required variables, decodable files. */
export function validateBody(
  body: unknown,
  requiredVariables: string[],
  fileVariables: string[],
): { ok: true; value: ParsedRegistration } | { ok: false; errors: DrfErrors } {
  if (!isObject(body)) return { ok: false, errors: { non_field_errors: ['Invalid data. Expected a dictionary.'] } };
  const errors: DrfErrors = {};
  const fields: Record<string, string> = {};
  const files: Record<string, Buffer[]> = {};

  if (!Array.isArray(body.variables)) {
    errors.variables = [body.variables === undefined ? REQUIRED : 'Expected a list of items.'];
  } else {
    const itemErrors = body.variables.map((item): Record<string, string[]> => {
      if (!isObject(item)) return { non_field_errors: ['Invalid data. Expected a dictionary.'] };
      const e: Record<string, string[]> = {};
      if (typeof item.name !== 'string' || item.name === '') e.name = [REQUIRED];
      const valueOk = typeof item.value === 'string' || (Array.isArray(item.value) && item.value.every((v) => typeof v === 'string'));
      if (!valueOk) e.value = ['Expected a string or a list of strings.'];
      return e;
    });
    if (itemErrors.some((e) => Object.keys(e).length > 0)) errors.variables = itemErrors;
    else {
      for (const item of body.variables as Array<{ name: string; value: string | string[] }>) {
        if (!fileVariables.includes(item.name)) {
          fields[item.name] = Array.isArray(item.value) ? item.value.join(', ') : item.value;
          continue;
        }
        const decoded = (Array.isArray(item.value) ? item.value : [item.value]).map(decodeBase64);
        if (decoded.some((b) => b === undefined)) errors[item.name] = ['Invalid base64 file.'];
        else files[item.name] = decoded as Buffer[];
      }
      for (const name of requiredVariables) {
        const present = fileVariables.includes(name) ? (files[name]?.length ?? 0) > 0 : (fields[name] ?? '').trim() !== '';
        if (!present && !errors[name]) errors[name] = [REQUIRED];
      }
    }
  }

  if (!isObject(body.meta)) errors.meta = [body.meta === undefined ? REQUIRED : 'Invalid data. Expected a dictionary.'];
  else {
    const metaErrors: Record<string, string[]> = {};
    for (const key of ['registrationId', 'session', 'phone', 'submittedAt']) {
      if (typeof body.meta[key] !== 'string' || body.meta[key] === '') metaErrors[key] = [REQUIRED];
    }
    if (typeof body.meta.submittedAt === 'string' && Number.isNaN(Date.parse(body.meta.submittedAt))) {
      metaErrors.submittedAt = ['Datetime has wrong format.'];
    }
    if (Object.keys(metaErrors).length > 0) errors.meta = metaErrors;
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { fields, files, meta: body.meta as Record<string, unknown> } };
}
