/**
 * Where Ponte calls Chatwoot, and the URL Chatwoot names itself by in the links it hands out. They differ
 * when Ponte reaches Chatwoot inside a private network (docker compose: http://rails:3000) while
 * Chatwoot's FRONTEND_URL is its public address.
 */
export function chatwootEndpoints(cw: { baseUrl: string; internalUrl?: string }): { baseUrl: string; publicUrl?: string } {
  return cw.internalUrl ? { baseUrl: cw.internalUrl, publicUrl: cw.baseUrl } : { baseUrl: cw.baseUrl };
}
