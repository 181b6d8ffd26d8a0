/**
 * A session's proxy (sessions[].proxy) as its browser uses it: Debian's Chromium, launched the way the
 * wppconnect engine launches it, goes through a local HTTP proxy that asks for credentials, and puppeteer's
 * page.authenticate answers with the session's (never on the command line). whatsapp-web.js gets the same
 * flag and the credentials as its proxyAuthentication option. Needs /usr/bin/chromium.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { browserSchema, sessionSchema } from '../../../src/config/schema';
import { proxyArgs, proxyCredentials } from '../../../src/engines/browser/chromium';
import { launchChromium, type BrowserHandle } from '../../../src/engines/wppconnect/browser-process';
import { browserArgs } from '../../../src/engines/wppconnect/client-options';
import { clientOptions } from '../../../src/engines/wwebjs/client-options';
import { tempDir, removeTempDirs } from '../../helpers/temp';

describe('a session proxy', () => {
  let target: http.Server;
  let proxy: http.Server;
  let handle: BrowserHandle | undefined;
  const seen: Array<{ url: string; auth?: string }> = [];
  const listen = (s: http.Server) => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));

  beforeAll(async () => {
    target = http.createServer((_req, res) => res.end('<title>behind the proxy</title>'));
    const targetPort = await listen(target);
    // A forward proxy asking for Basic credentials, as a paid residential proxy does.
    proxy = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers['proxy-authorization'] });
      if (req.headers['proxy-authorization'] !== `Basic ${Buffer.from('ponte:s3cret-proxy').toString('base64')}`) {
        res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="proxy"' }).end();
        return;
      }
      const upstream = http.request(
        { host: '127.0.0.1', port: targetPort, path: new URL(req.url!).pathname, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    (proxy as unknown as { targetPort: number }).targetPort = targetPort;
    await listen(proxy);
  });
  afterAll(async () => {
    await handle?.close();
    await new Promise((r) => target.close(r));
    await new Promise((r) => proxy.close(r));
    removeTempDirs();
  });

  test('Chromium goes through the proxy and answers its challenge with the session credentials, which never reach the command line', async () => {
    const proxyPort = (proxy.address() as AddressInfo).port;
    const session = sessionSchema.parse({
      id: 'via-proxy',
      engine: 'wppconnect',
      proxy: { url: `http://127.0.0.1:${proxyPort}`, username: 'ponte', password: 's3cret-proxy' },
    });
    // Loopback is never proxied by default; the test's target lives there.
    const browser = browserSchema.parse({ extraArgs: ['--proxy-bypass-list=<-loopback>'] });
    const args = [...browserArgs(browser), ...proxyArgs(session.proxy)];
    expect(args).toContain(`--proxy-server=http://127.0.0.1:${proxyPort}`);
    expect(args.join(' ')).not.toContain('s3cret');
    handle = await launchChromium({
      executablePath: browser.executablePath,
      headless: true,
      args,
      userDataDir: tempDir('ponte-proxy-profile-'),
      timeoutMs: 30_000,
    });
    await handle.page.authenticate(proxyCredentials(session.proxy)!);
    const targetPort = (proxy as unknown as { targetPort: number }).targetPort;
    await handle.page.goto(`http://127.0.0.1:${targetPort}/`, { timeout: 20_000 });
    expect(await handle.page.title()).toBe('behind the proxy');
    expect(seen.some((s) => s.auth === `Basic ${Buffer.from('ponte:s3cret-proxy').toString('base64')}`)).toBe(true);
  }, 60_000);

  test('whatsapp-web.js gets the flag and the credentials as its own options', () => {
    const session = sessionSchema.parse({
      id: 'shop',
      engine: 'wwebjs',
      proxy: { url: 'http://proxy.example.com:3128', username: 'u', password: 'p' },
    });
    const options = clientOptions(session, { browser: browserSchema.parse({}), dataDir: tempDir('ponte-wwebjs-') });
    expect(options.puppeteer?.args).toContain('--proxy-server=http://proxy.example.com:3128');
    expect(options.proxyAuthentication).toEqual({ username: 'u', password: 'p' });
    const socks = sessionSchema.parse({ id: 'shop', engine: 'wwebjs', proxy: { url: 'socks5://10.1.2.3:1080' } });
    expect(clientOptions(socks, { browser: browserSchema.parse({}), dataDir: tempDir('ponte-wwebjs-') }).puppeteer?.args).toContain(
      '--proxy-server=socks5://10.1.2.3:1080',
    );
  });

  test('a proxy Chromium could not use is refused with the reason', () => {
    const problems = (proxy: unknown) =>
      sessionSchema.safeParse({ id: 's', engine: 'wwebjs', proxy }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(problems({ url: 'socks5://h:1080', username: 'u', password: 'p' })).toEqual([
      'proxy.username: Chromium cannot authenticate to a SOCKS proxy: use an HTTP proxy for credentials, or a SOCKS proxy that allows this host without them',
    ]);
    expect(problems({ url: 'http://u:p@h:3128' })?.[0]).toMatch(/^proxy\.url: carries credentials/);
    expect(problems({ url: 'ftp://h:21' })?.[0]).toMatch(/^proxy\.url: expected the proxy as a URL/);
  });
});
