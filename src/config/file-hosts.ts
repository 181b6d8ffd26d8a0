import type { PonteConfig } from './schema';

/** registration.fileHosts, or by default the Typebot origins the configuration names. */
export function registrationFileHosts(config: Pick<PonteConfig, 'registration' | 'typebot'>): string[] {
  const reg = config.registration;
  if (reg?.fileHosts) return reg.fileHosts;
  const urls = [...Object.values(config.typebot?.bots ?? {}).map((b) => b.baseUrl), ...(reg?.resultsApi ? [reg.resultsApi.baseUrl] : [])];
  return [...new Set(urls.map((u) => new URL(u).origin))];
}
