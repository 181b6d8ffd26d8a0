import type { z } from 'zod';

/** zod 4 keeps the wrapped schema under `_zod.def`; this reads through defaults, optionals and pipes. */
type AnyDef = {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
};

function def(schema: z.ZodType): AnyDef {
  return (schema as unknown as { _zod: { def: AnyDef } })._zod.def;
}

export function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const d = def(s);
    if ((d.type === 'default' || d.type === 'optional' || d.type === 'nullable' || d.type === 'prefault') && d.innerType) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else return s;
  }
}

export function kindOf(schema: z.ZodType): string {
  return def(unwrap(schema)).type;
}

/** The child schema under `key`, matching object keys loosely (case and underscores ignored). */
export function child(schema: z.ZodType, key: string): { key: string | number; schema: z.ZodType } | undefined {
  const s = unwrap(schema);
  const d = def(s);
  if (d.type === 'object' && d.shape) {
    const norm = (k: string) => k.toLowerCase().replace(/_/g, '');
    const hit = Object.keys(d.shape).find((k) => norm(k) === norm(key));
    return hit ? { key: hit, schema: d.shape[hit] } : undefined;
  }
  if (d.type === 'array' && d.element && /^\d+$/.test(key)) return { key: Number(key), schema: d.element };
  if (d.type === 'record' && d.valueType) return { key: key.toLowerCase(), schema: d.valueType };
  return undefined;
}

export function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const d = def(unwrap(schema));
  return d.type === 'object' ? d.shape : undefined;
}

export function recordValue(schema: z.ZodType): z.ZodType | undefined {
  const d = def(unwrap(schema));
  return d.type === 'record' ? d.valueType : undefined;
}

export function arrayElement(schema: z.ZodType): z.ZodType | undefined {
  const d = def(unwrap(schema));
  return d.type === 'array' ? d.element : undefined;
}

export function description(schema: z.ZodType): string | undefined {
  let s: z.ZodType | undefined = schema;
  while (s) {
    if (s.description) return s.description;
    const d = def(s);
    s = d.innerType ?? d.in;
  }
  return undefined;
}
