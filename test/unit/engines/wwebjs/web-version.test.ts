/**
 * Pinning a WhatsApp Web build (config browser.wwebjs), through the library's real initialize():
 * Client.js initWebVersionCache serves a saved build by request interception, or saves the live one
 * (LocalWebCache.persist) once the page synced.
 */
import fs from 'node:fs';
import path from 'node:path';
import { wwebjsEngineSchema } from '../../../../src/config/schema';
import { webVersionOptions } from '../../../../src/engines/wwebjs/client-options';
import { LIVE_VERSION } from './fake-wa-web';
import { harness, type Harness } from './harness';

let h: Harness;
afterEach(() => h.close());

const version = (h: Harness) => (h.wa.client as unknown as { getWWebVersion(): Promise<string> }).getWWebVersion();

test('a pinned build saved in the local cache is the page WhatsApp Web loads', async () => {
  h = harness({ paired: true });
  const cache = path.join(h.ctx.dataDir, 'builds');
  fs.mkdirSync(cache, { recursive: true });
  fs.writeFileSync(path.join(cache, '2.3000.1025012345.html'), '<html data-wa-version="2.3000.1025012345"></html>');
  h.ctx.browser.wwebjs = wwebjsEngineSchema.parse({ webVersion: '2.3000.1025012345', webVersionCache: { type: 'local', path: cache } });
  await h.connected();
  expect(h.wa.page().servedIndexHtml).toContain('2.3000.1025012345');
  expect(await version(h)).toBe('2.3000.1025012345');
});

test('by default the live build loads and is saved in the session directory, ready to be pinned', async () => {
  h = harness({ paired: true });
  await h.connected();
  expect(h.wa.page().servedIndexHtml).toBeUndefined();
  expect(await version(h)).toBe(LIVE_VERSION);
  const saved = path.join(h.ctx.dataDir, '.wwebjs_cache', `${LIVE_VERSION}.html`);
  await h.log.until(() => fs.existsSync(saved), 'the live build saved');
});

test('remote and none reach the library as configured', () => {
  const ctx = (wwebjs: unknown) =>
    ({ dataDir: '/data/sessions/shop', browser: { wwebjs: wwebjsEngineSchema.parse(wwebjs) } }) as Parameters<typeof webVersionOptions>[0];
  expect(
    webVersionOptions(
      ctx({
        webVersion: '2.3000.1',
        webVersionCache: { type: 'remote', remotePath: 'https://builds.example/{version}.html', strict: true },
      }),
    ),
  ).toEqual({
    webVersion: '2.3000.1',
    webVersionCache: { type: 'remote', remotePath: 'https://builds.example/{version}.html', strict: true },
  });
  expect(webVersionOptions(ctx({ webVersionCache: { type: 'none' } }))).toEqual({ webVersionCache: { type: 'none' } });
  expect(webVersionOptions(ctx({}))).toEqual({ webVersionCache: { type: 'local', path: '/data/sessions/shop/.wwebjs_cache' } });
});
