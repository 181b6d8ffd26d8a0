/**
 * Which hosts a download may start from. A rule names a host and, when it says so, a scheme and a port;
 * without a port only the scheme's default port matches, so a listed host never opens its other ports.
 */
export interface HostRule {
  protocol?: 'http:' | 'https:';
  hostname: string;
  port?: number;
}

const DEFAULT_PORT: Record<string, number> = { 'http:': 80, 'https:': 443 };

export function effectivePort(url: URL): number {
  return url.port ? Number(url.port) : (DEFAULT_PORT[url.protocol] ?? 0);
}

/** The exact origin of a URL (scheme, host and port), e.g. Chatwoot's baseUrl. */
export function originRule(url: string): HostRule {
  const u = new URL(url);
  return { protocol: u.protocol as HostRule['protocol'], hostname: u.hostname, port: effectivePort(u) };
}

/** `https://files.example.com:8443` (that origin), `files.example.com:9000` or `files.example.com` (default ports). */
export function parseHostRule(entry: string): HostRule {
  const text = entry.trim();
  if (text.includes('://')) return originRule(text);
  const u = new URL(`http://${text}`);
  if (u.pathname !== '/' || u.search || u.username)
    throw new Error(`"${entry}" is not a host (expected host, host:port or an origin like https://host:port)`);
  return { hostname: u.hostname, ...(u.port ? { port: Number(u.port) } : {}) };
}

export function matchesRule(url: URL, rule: HostRule): boolean {
  if (url.hostname !== rule.hostname) return false;
  if (rule.protocol && url.protocol !== rule.protocol) return false;
  const port = rule.port ?? DEFAULT_PORT[rule.protocol ?? url.protocol];
  return effectivePort(url) === port;
}

export function sameOrigin(a: URL, b: URL): boolean {
  return a.protocol === b.protocol && a.hostname === b.hostname && effectivePort(a) === effectivePort(b);
}

export function describeRule(rule: HostRule): string {
  const scheme = rule.protocol ? `${rule.protocol}//` : '';
  return `${scheme}${rule.hostname}${rule.port ? `:${rule.port}` : ''}`;
}
