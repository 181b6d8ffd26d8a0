import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { BrowserConfig, ProxyConfig } from '../../config/schema';
import { sandboxDecision, type SandboxDecision } from './sandbox';

/**
 * Flags for Debian's Chromium under both engines. The sandbox is off only where it cannot work (see
 * sandbox.ts); the background-networking flags stop it calling Google hosts at every start.
 */
export function chromiumArgs(config: BrowserConfig, decision: SandboxDecision = sandboxDecision(config.sandbox)): string[] {
  const args = [
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-quic',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-extensions',
    '--mute-audio',
  ];
  if (!decision.sandbox) args.push('--no-sandbox', '--disable-setuid-sandbox');
  return [...args, ...config.extraArgs];
}

/** Why the configured Chromium cannot be used, or undefined when it can. */
export function chromiumProblem(config: BrowserConfig): string | undefined {
  if (!fs.existsSync(config.executablePath)) {
    return `Chromium not found at ${config.executablePath}: install it (sudo apt-get install chromium, or scripts/setup.sh --with-chromium) or set browser.executablePath`;
  }
  try {
    execFileSync(config.executablePath, ['--version'], { stdio: 'pipe', timeout: 10000 });
    return undefined;
  } catch (err) {
    return `${config.executablePath} --version failed: ${(err as Error).message.split('\n')[0]}`;
  }
}

/** Chromium's version line, for `ponte doctor`. */
export function chromiumVersion(config: BrowserConfig): string | undefined {
  try {
    return execFileSync(config.executablePath, ['--version'], { encoding: 'utf8', timeout: 10000 }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Chromium's flag for a session's proxy (sessions[].proxy). Credentials never go on the command line
 * (anyone can read it in ps): an HTTP proxy's are answered by puppeteer's page.authenticate, and Chromium
 * cannot authenticate to a SOCKS proxy at all (the schema refuses SOCKS with credentials).
 */
export function proxyArgs(proxy: ProxyConfig | undefined): string[] {
  if (!proxy) return [];
  const u = new URL(proxy.url);
  return [`--proxy-server=${u.protocol}//${u.host}`];
}

/** What page.authenticate answers the proxy's challenge with, when it asks for credentials. */
export function proxyCredentials(proxy: ProxyConfig | undefined): { username: string; password: string } | undefined {
  return proxy?.username ? { username: proxy.username, password: proxy.password ?? '' } : undefined;
}
