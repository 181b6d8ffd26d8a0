import fs from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { Keys } from '../../../src/store/keys';
import { MediaStore, type StoredMedia } from '../../../src/store/media-store';
import { startRedisServer, type TestRedis } from '../../helpers/redis-server';
import { removeTempDirs, tempDir } from '../../helpers/temp';

const PUBLIC = 'https://ponte.example.test';
const HOUR = 3600_000;
const LINK_TTL = 60_000;
const RETENTION = HOUR;

describe('MediaStore (real redis-server)', () => {
  let serverA: TestRedis;
  let serverB: TestRedis;
  let redisA: Redis;
  let redisB: Redis;
  let n = 0;

  beforeAll(async () => {
    [serverA, serverB] = await Promise.all([startRedisServer(), startRedisServer()]);
    redisA = new Redis(serverA.url);
    redisB = new Redis(serverB.url);
  });
  afterAll(async () => {
    redisA?.disconnect();
    redisB?.disconnect();
    await Promise.all([serverA?.stop(), serverB?.stop()]);
    removeTempDirs();
  });

  /** A store on its own key prefix and directory, so tests do not see each other's files. */
  function make(options: { redis?: Redis; prefix?: string; dir?: string; publicUrl?: string } = {}) {
    const prefix = options.prefix ?? `ms${++n}:`;
    const keys = new Keys(prefix);
    const dir = options.dir ?? path.join(tempDir('ponte-media-'), 'media');
    const redis = options.redis ?? redisA;
    const store = new MediaStore(redis, keys, {
      dir,
      publicUrl: () => options.publicUrl ?? PUBLIC,
      linkTtlMs: LINK_TTL,
      retentionMs: RETENTION,
    });
    return { store, keys, dir, prefix, redis };
  }

  /** The signed token of a link: the path segment after /media/. */
  function tokenOf(link: string): string {
    const rest = link.slice(link.indexOf('/media/') + '/media/'.length);
    return rest.split('/')[0];
  }

  const onDisk = (dir: string, id: string) => fs.existsSync(path.join(dir, id));

  describe('put, link and open', () => {
    test('round trip: the link is signed, ends with the file name, and opens to the stored bytes', async () => {
      const { store, keys, dir, redis } = make();
      const data = Buffer.from('%PDF-1.4 fake pdf bytes');
      const media = await store.put({ data, mimetype: 'application/pdf', filename: 'carta.pdf' });

      expect(media).toEqual({
        id: expect.any(String),
        mimetype: 'application/pdf',
        filename: 'carta.pdf',
        size: data.length,
        createdAt: expect.any(Number),
        pinned: false,
      });
      expect(Math.abs(media.createdAt - Date.now())).toBeLessThan(10_000);
      expect(fs.readFileSync(path.join(dir, media.id))).toEqual(data);
      expect(JSON.parse((await redis.get(keys.media(media.id)))!)).toEqual(media);
      expect(Number(await redis.zscore(keys.mediaIndex(), media.id))).toBe(media.createdAt);

      const link = await store.link(media);
      expect(link.startsWith(`${PUBLIC}/media/`)).toBe(true);
      expect(link.endsWith('/carta.pdf')).toBe(true);
      const token = tokenOf(link);
      expect(token.split('.')).toHaveLength(3);
      expect(token.split('.')[0]).toBe(media.id);

      const opened = await store.open(token);
      expect(opened).toEqual({ ok: true, media, path: path.join(dir, media.id) });
      if (!opened.ok) throw new Error('unreachable');
      expect(fs.readFileSync(opened.path)).toEqual(data);

      expect(await store.read(media.id)).toEqual({ media, data });
      expect(await store.get(media.id)).toEqual(media);
    });

    test('a file WhatsApp gave no name gets "file" plus the extension of its mimetype', async () => {
      const { store } = make();
      const cases: Array<[string | undefined, string | undefined, string]> = [
        [undefined, 'image/jpeg', 'file.jpg'],
        [undefined, 'image/png', 'file.png'],
        [undefined, 'audio/ogg; codecs=opus', 'file.ogg'],
        [undefined, 'video/mp4', 'file.mp4'],
        [undefined, 'application/x-unknown', 'file.bin'],
        [undefined, undefined, 'file.bin'],
        ['', 'image/webp', 'file.webp'],
        // a name without an extension keeps its name and gets the extension
        ['voice-note', 'audio/ogg', 'voice-note.ogg'],
        ['scan', 'application/pdf', 'scan.pdf'],
        // a name with an extension keeps it, even when the mimetype disagrees
        ['scan.PNG', 'image/jpeg', 'scan.PNG'],
      ];
      for (const [filename, mimetype, expected] of cases) {
        const media = await store.put({ data: Buffer.from('x'), mimetype, filename });
        expect({ filename, mimetype, got: media.filename }).toEqual({ filename, mimetype, got: expected });
        expect(media.mimetype).toBe(mimetype ?? 'application/octet-stream');
        const link = await store.link(media);
        expect(link.endsWith(`/${expected}`)).toBe(true);
      }
    });

    test('unsafe characters are cleaned from the name; the link stays one clean path segment', async () => {
      const { store } = make();
      const cases: Array<[string, string, string]> = [
        ['my report (final)#1?.pdf', 'application/pdf', 'my_report_final_1_.pdf'],
        ['relatório médico.pdf', 'application/pdf', 'relat_rio_m_dico.pdf'],
        ['../../etc/passwd', 'application/pdf', 'etc_passwd.pdf'],
        ['.hidden.jpg', 'image/jpeg', 'hidden.jpg'],
        ['a/b\\c d.png', 'image/png', 'a_b_c_d.png'],
        ['???', 'image/png', 'file.png'],
        // Typebot checks file types by extension: junk after it, or a version number, is no extension.
        ['scan.pdf ', 'application/pdf', 'scan.pdf'],
        ['doc.pdf)', 'application/pdf', 'doc.pdf'],
        ['manual v1.2', 'application/pdf', 'manual_v1.2.pdf'],
      ];
      for (const [filename, mimetype, expected] of cases) {
        const media = await store.put({ data: Buffer.from('x'), mimetype, filename });
        expect({ filename, got: media.filename }).toEqual({ filename, got: expected });
        const link = await store.link(media);
        expect(link.endsWith(`/${expected}`)).toBe(true);
        // nothing to encode: the name is already URL-safe
        expect(encodeURIComponent(media.filename)).toBe(media.filename);
        expect(link.slice(PUBLIC.length).split('/')).toEqual(['', 'media', tokenOf(link), expected]);
      }
    });

    test('a very long name is cut to its last 100 characters, keeping the extension', async () => {
      const { store } = make();
      const media = await store.put({ data: Buffer.from('x'), mimetype: 'application/pdf', filename: `${'a'.repeat(300)}.pdf` });
      expect(media.filename).toHaveLength(100);
      expect(media.filename.endsWith('.pdf')).toBe(true);
    });

    test('a public URL with a trailing slash makes no double slash', async () => {
      const { store } = make({ publicUrl: `${PUBLIC}/` });
      const media = await store.put({ data: Buffer.from('x'), mimetype: 'image/png' });
      const link = await store.link(media);
      expect(link.startsWith(`${PUBLIC}/media/`)).toBe(true);
      expect(link.slice('https://'.length)).not.toContain('//');
      expect(store.idOf(link)).toBe(media.id);
    });
  });

  describe('refusals', () => {
    test('a tampered signature, id or expiry is refused with 403 (bad signature)', async () => {
      const { store } = make();
      const media = await store.put({ data: Buffer.from('one'), mimetype: 'image/png' });
      const other = await store.put({ data: Buffer.from('two'), mimetype: 'image/png' });
      const token = tokenOf(await store.link(media));
      const [id, exp, sig] = token.split('.');
      const flip = (s: string) => s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A');
      const bad = [
        `${id}.${exp}.${flip(sig)}`,
        `${id}.${exp}.${sig.slice(0, -1)}`,
        `${id}.${exp}.${sig}x`,
        `${other.id}.${exp}.${sig}`, // another file with this file's signature
        `${id}.${Number(exp) + 3600}.${sig}`, // a longer life
        `${id}.${exp}.`,
        `${id}.${exp}`,
        `${id}`,
        '',
        '..',
      ];
      for (const t of bad) {
        const r = await store.open(t);
        expect({ t, r }).toEqual({ t, r: { ok: false, status: 403, reason: expect.stringMatching(/signature/) } });
      }
      // the genuine token still opens
      expect((await store.open(token)).ok).toBe(true);
    });

    test('an expired link is refused with 403 (expired); within its life it opens', async () => {
      const { store } = make();
      const media = await store.put({ data: Buffer.from('x'), mimetype: 'image/png' });
      const T = 1_700_000_000_000; // a whole second
      const token = tokenOf(await store.link(media, T));
      expect(Number(token.split('.')[1])).toBe((T + LINK_TTL) / 1000);

      expect((await store.open(token, T)).ok).toBe(true);
      expect((await store.open(token, T + LINK_TTL - 1)).ok).toBe(true);
      expect((await store.open(token, T + LINK_TTL)).ok).toBe(true);
      expect(await store.open(token, T + LINK_TTL + 1)).toEqual({ ok: false, status: 403, reason: expect.stringMatching(/expired/) });
      expect(await store.open(token, T + 10 * HOUR)).toEqual({ ok: false, status: 403, reason: expect.stringMatching(/expired/) });
      // a link made "now" is not expired "now"
      expect(await store.open(tokenOf(await store.link(media)))).toMatchObject({ ok: true });
    });

    test('a removed file is 404, on disk and in Redis', async () => {
      const { store, keys, dir, redis } = make();
      const media = await store.put({ data: Buffer.from('x'), mimetype: 'image/png' });
      const token = tokenOf(await store.link(media));
      await store.remove(media.id);
      expect(await store.open(token)).toEqual({ ok: false, status: 404, reason: expect.stringMatching(/no longer stored/) });
      expect(onDisk(dir, media.id)).toBe(false);
      expect(await redis.exists(keys.media(media.id))).toBe(0);
      expect(await redis.zscore(keys.mediaIndex(), media.id)).toBeNull();
      expect(await store.get(media.id)).toBeUndefined();
      expect(await store.read(media.id)).toBeUndefined();
      // removing twice is harmless
      await expect(store.remove(media.id)).resolves.toBeUndefined();
    });
  });

  describe('idOf', () => {
    test("recognises only this daemon's links", async () => {
      const { store, keys } = make();
      const media = await store.put({ data: Buffer.from('x'), mimetype: 'image/jpeg' });
      const link = await store.link(media);
      expect(store.idOf(link)).toBe(media.id);

      // a daemon with another public URL on the same Redis: same secret, but not our link
      const elsewhere = new MediaStore(redisA, keys, {
        dir: tempDir(),
        publicUrl: () => 'https://other.example.test',
        linkTtlMs: LINK_TTL,
        retentionMs: RETENTION,
      });
      const foreign = await elsewhere.link(media);
      expect(elsewhere.idOf(foreign)).toBe(media.id);
      expect(store.idOf(foreign)).toBeUndefined();
      expect(elsewhere.idOf(link)).toBeUndefined();

      for (const url of [
        'https://s3.typebot.example/public/media/abc.jpg',
        `${PUBLIC}/files/${media.id}.1.x/file.jpg`,
        `${PUBLIC}/mediax/${media.id}.1.x/file.jpg`,
        `${PUBLIC}:8443/media/${media.id}.1.x/file.jpg`,
        `http://ponte.example.test/media/${media.id}.1.x/file.jpg`,
        `https://evil.example/?u=${encodeURIComponent(link)}`,
        'not a url',
        '',
      ]) {
        expect({ url, id: store.idOf(url) }).toEqual({ url, id: undefined });
      }
    });
  });

  describe('signing secret', () => {
    test('is kept in Redis: two stores on one Redis accept each other links; another Redis does not', async () => {
      const dir = path.join(tempDir(), 'media');
      const prefix = `ms-shared${++n}:`;
      const one = make({ prefix, dir });
      const two = make({ prefix, dir });
      const media = await one.store.put({ data: Buffer.from('shared'), mimetype: 'image/png' });

      // both sign at the same time on a fresh Redis: NX makes them agree on one secret
      const T = Date.now();
      const [l1, l2] = await Promise.all([one.store.link(media, T), two.store.link(media, T)]);
      expect(l1).toBe(l2);
      const secret = await redisA.get(one.keys.mediaSecret());
      expect(secret).toMatch(/^[0-9a-f]{64}$/);

      expect(await two.store.open(tokenOf(l1))).toMatchObject({ ok: true, media });
      expect(await one.store.open(tokenOf(await two.store.link(media)))).toMatchObject({ ok: true, media });

      // a daemon started later (a restart) still accepts links made before
      const later = make({ prefix, dir });
      expect(await later.store.open(tokenOf(l1))).toMatchObject({ ok: true, media });
      expect(await redisA.get(one.keys.mediaSecret())).toBe(secret);

      // the same prefix on another Redis has its own secret: our links are forged there
      const other = make({ prefix, dir, redis: redisB });
      expect(await other.store.open(tokenOf(l1))).toEqual({ ok: false, status: 403, reason: expect.stringMatching(/signature/) });
      const otherSecret = await redisB.get(other.keys.mediaSecret());
      expect(otherSecret).toMatch(/^[0-9a-f]{64}$/);
      expect(otherSecret).not.toBe(secret);
      // and its links are refused here
      const otherLink = await other.store.link(media);
      expect(await one.store.open(tokenOf(otherLink))).toMatchObject({ ok: false, status: 403 });
    });

    test('a different key prefix on the same Redis is another secret', async () => {
      const dir = path.join(tempDir(), 'media');
      const a = make({ dir });
      const b = make({ dir });
      const media = await a.store.put({ data: Buffer.from('x'), mimetype: 'image/png' });
      const link = await a.store.link(media);
      expect(await b.store.open(tokenOf(link))).toMatchObject({ ok: false, status: 403 });
    });
  });

  describe('retention', () => {
    test('sweep deletes old unpinned files from disk and Redis and keeps pinned and recent ones', async () => {
      const { store, keys, dir, redis } = make();
      const old = await store.put({ data: Buffer.from('old'), mimetype: 'image/png' });
      const kept = await store.put({ data: Buffer.from('pinned'), mimetype: 'image/png' });
      await store.pin(kept.id, true);
      expect((await store.get(kept.id))!.pinned).toBe(true);
      const t0 = Date.now();

      // nothing is old enough yet
      expect(await store.sweep(t0)).toBe(0);
      expect(await store.sweep(t0 + RETENTION - 60_000)).toBe(0);
      expect(onDisk(dir, old.id)).toBe(true);

      const later = t0 + RETENTION + 1000;
      expect(await store.sweep(later)).toBe(1);
      expect(onDisk(dir, old.id)).toBe(false);
      expect(await redis.exists(keys.media(old.id))).toBe(0);
      expect(await redis.zscore(keys.mediaIndex(), old.id)).toBeNull();

      expect(onDisk(dir, kept.id)).toBe(true);
      expect(await store.get(kept.id)).toMatchObject({ id: kept.id, pinned: true });
      expect(await redis.zscore(keys.mediaIndex(), kept.id)).not.toBeNull();
      // sweeping again changes nothing
      expect(await store.sweep(later)).toBe(0);

      // once unpinned (without release) the next sweep takes it
      await store.pin(kept.id, false);
      expect(await store.sweep(later)).toBe(1);
      expect(onDisk(dir, kept.id)).toBe(false);
      expect(await store.get(kept.id)).toBeUndefined();
    });

    test('sweep also clears an index entry whose file metadata is already gone', async () => {
      const { store, keys, redis } = make();
      const media = await store.put({ data: Buffer.from('x'), mimetype: 'image/png' });
      await redis.del(keys.media(media.id));
      expect(await store.sweep(Date.now() + RETENTION + 1000)).toBe(1);
      expect(await redis.zcard(keys.mediaIndex())).toBe(0);
    });

    test('release(id, keepMs) unpins and lets the sweep delete it only keepMs later', async () => {
      const { store, dir } = make();
      const media: StoredMedia = await store.put({
        data: Buffer.from('registration file'),
        mimetype: 'application/pdf',
        filename: 'cc.pdf',
      });
      await store.pin(media.id, true);
      const T = Date.now();
      const keep = 10 * 60_000; // shorter than the retention
      await store.release(media.id, keep, T);
      expect(await store.get(media.id)).toMatchObject({ pinned: false });

      expect(await store.sweep(T)).toBe(0);
      expect(await store.sweep(T + keep - 1000)).toBe(0);
      expect(onDisk(dir, media.id)).toBe(true);
      expect(await store.sweep(T + keep)).toBe(1);
      expect(onDisk(dir, media.id)).toBe(false);
      expect(await store.get(media.id)).toBeUndefined();
    });

    test('release with keepMs longer than the retention keeps the file past the normal retention', async () => {
      const { store, dir } = make();
      const media = await store.put({ data: Buffer.from('x'), mimetype: 'application/pdf' });
      await store.pin(media.id, true);
      const T = Date.now();
      const keep = 3 * RETENTION;
      await store.release(media.id, keep, T);
      expect(await store.sweep(T + RETENTION + 1000)).toBe(0);
      expect(await store.sweep(T + keep - 1000)).toBe(0);
      expect(onDisk(dir, media.id)).toBe(true);
      expect(await store.sweep(T + keep + 1000)).toBe(1);
      expect(onDisk(dir, media.id)).toBe(false);
    });

    test('release(id, 0) deletes the file at once', async () => {
      const { store, keys, dir, redis } = make();
      const media = await store.put({ data: Buffer.from('x'), mimetype: 'image/png' });
      await store.pin(media.id, true);
      const token = tokenOf(await store.link(media));
      await store.release(media.id, 0);
      expect(onDisk(dir, media.id)).toBe(false);
      expect(await redis.exists(keys.media(media.id))).toBe(0);
      expect(await redis.zscore(keys.mediaIndex(), media.id)).toBeNull();
      expect(await store.open(token)).toMatchObject({ ok: false, status: 404 });
    });
  });
});
