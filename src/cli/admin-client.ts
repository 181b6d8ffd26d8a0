import type { Command } from 'commander';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { loadConfig } from '../config/load';

export interface AdminTarget {
  url: string;
  token: string;
}

export interface TargetOptions {
  config?: string;
  url?: string;
  token?: string;
}

/** Where the running daemon is: flags, then env, then the config file the daemon was started with. */
/** The options every command that talks to a running daemon takes. */
export function withDaemonOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'configuration file, to find the daemon and its admin token')
    .option('--url <url>', 'daemon URL (default from the config, or $PONTE_URL)')
    .option('--token <token>', 'admin token (default from the config, or $PONTE_ADMIN_TOKEN)');
}

export function resolveTarget(opts: TargetOptions, env = process.env): AdminTarget {
  // An empty flag or variable (PONTE_URL= in a .env) means "not given": the config file decides.
  let url = opts.url || env.PONTE_URL || undefined;
  let token = opts.token || env.PONTE_ADMIN_TOKEN || undefined;
  if (!url || !token) {
    const config = loadConfig({ path: opts.config, env });
    const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host;
    url ??= `http://${host}:${config.http.port}`;
    token ??= config.http.adminToken;
  }
  return { url: url.replace(/\/$/, ''), token };
}

export class AdminError extends Error {}

/** Wrong flags or arguments: printed without a stack trace. */
export class UsageError extends Error {}

export function adminClient(target: AdminTarget, timeoutMs = 10000): AxiosInstance {
  const client = axios.create({ baseURL: `${target.url}/admin`, headers: { Authorization: `Bearer ${target.token}` }, timeout: timeoutMs });
  client.interceptors.response.use(undefined, (err: unknown) => {
    if (isAxiosError(err)) {
      const body = err.response?.data as { error?: { message?: string } } | undefined;
      if (body?.error?.message) throw new AdminError(`${err.response?.status}: ${body.error.message}`);
      if (err.code === 'ECONNREFUSED') throw new AdminError(`no Ponte daemon answers at ${target.url} (is it running? see --url)`);
      throw new AdminError(`${target.url}: ${err.message}`);
    }
    throw err;
  });
  return client;
}
