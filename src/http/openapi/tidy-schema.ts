type Json = Record<string, unknown>;

const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * zod's JSON Schema, made for reading: no `$schema`/`$id` on each component, `T | null` as
 * `type: [T, "null"]` rather than an anyOf of two, and no bounds that only say "a safe integer".
 */
export function tidySchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidySchema);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === '$schema' || k === '$id') continue;
    if ((k === 'minimum' && v === -SAFE) || (k === 'maximum' && v === SAFE)) continue;
    out[k] = tidySchema(v);
  }
  return collapseNullable(out);
}

function collapseNullable(schema: Json): Json {
  const anyOf = schema.anyOf as Json[] | undefined;
  if (!Array.isArray(anyOf) || anyOf.length !== 2) return schema;
  const nullIndex = anyOf.findIndex((s) => s.type === 'null' && Object.keys(s).length === 1);
  if (nullIndex < 0) return schema;
  const other = anyOf[1 - nullIndex];
  // Only a plain typed schema: an enum or const would have to list null too, a $ref cannot take a type.
  if (typeof other.type !== 'string' || 'enum' in other || 'const' in other) return schema;
  const clash = Object.keys(other).some((k) => k !== 'type' && k in schema && k !== 'anyOf');
  if (clash) return schema;
  const { anyOf: _dropped, ...rest } = schema;
  return { ...other, ...rest, type: [other.type, 'null'] };
}
