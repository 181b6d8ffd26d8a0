import type { ChatwootError } from './errors';

/**
 * What a refused status update says: that the endpoint is missing here (a Chatwoot before 4.2 has no such
 * route, a non-API inbox refuses them all), that the one record is missing, or neither.
 *
 * Rails answers an unknown route with `{status: 404, error: "Not Found"}` (or its HTML page behind some
 * proxies) and a missing record with `{error: "Resource could not be found"}` (CONTRACTS.md, Auth).
 */
export function endpointVerdict(err: ChatwootError): 'endpoint_missing' | 'record_missing' | 'other' {
  const body = err.body;
  const said = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  if (err.status === 404) {
    if (said === 'Not Found' || (typeof body === 'string' && /<html/i.test(body))) return 'endpoint_missing';
    return 'record_missing';
  }
  if (err.status === 403 && typeof said === 'string' && /only allowed for API inboxes/i.test(said)) return 'endpoint_missing';
  return 'other';
}
