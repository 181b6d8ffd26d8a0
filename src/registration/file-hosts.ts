import { matchesRule, parseHostRule } from '../guarded-fetch/host-rules';

/**
 * Why a registration file URL is not fetched, or undefined when its host is listed. Only the host is
 * named: the rest of a file URL is often a signed token.
 */
export function fileHostRefusal(url: string, hosts: string[]): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'the file answer is not a URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `${u.protocol}// file URLs are not fetched (http and https only)`;
  if (hosts.map(parseHostRule).some((r) => matchesRule(u, r))) return undefined;
  return `files are fetched only from registration.fileHosts (${hosts.join(', ') || 'none configured'}); ${u.protocol}//${u.host} is not one of them`;
}
