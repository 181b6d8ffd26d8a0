/** A configuration that cannot start the daemon; `problems` holds one readable line per problem. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid configuration (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out || '(root)';
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return value.length > 60 ? `"${value.slice(0, 57)}..."` : JSON.stringify(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value && typeof value === 'object') return 'an object';
  // What is left is a number, a boolean, a bigint, a symbol, a function or null.
  const rest = value as number | boolean | bigint | symbol | ((...args: never[]) => unknown) | null;
  return `${String(rest)} (${typeof value})`;
}
