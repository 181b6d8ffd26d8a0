import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Redis from 'ioredis';
import type { Keys } from './keys';
import { safeEqual } from '../core/safe-equal';

export interface StoredMedia {
  id: string;
  mimetype: string;
  filename: string;
  size: number;
  createdAt: number;
  /** Kept past the retention sweep until released (a registration not yet delivered needs it). */
  pinned: boolean;
}

export type MediaLookup = { ok: true; media: StoredMedia; path: string } | { ok: false; status: 403 | 404; reason: string };

/**
 * Files users send to a flow. Typebot never talks to WhatsApp: it gets a link Ponte serves, signed and
 * expiring, that ends with the file name (Typebot checks allowed file types by extension).
 */
export class MediaStore {
  private secret?: Buffer;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly options: { dir: string; publicUrl: () => string; linkTtlMs: number; retentionMs: number },
  ) {}

  async put(file: { data: Buffer; mimetype?: string; filename?: string }): Promise<StoredMedia> {
    await mkdir(this.options.dir, { recursive: true });
    const id = randomUUID();
    const mimetype = file.mimetype ?? 'application/octet-stream';
    const media: StoredMedia = {
      id,
      mimetype,
      filename: safeName(file.filename, mimetype),
      size: file.data.length,
      createdAt: Date.now(),
      pinned: false,
    };
    await writeFile(join(this.options.dir, id), file.data);
    await this.redis.multi().set(this.keys.media(id), JSON.stringify(media)).zadd(this.keys.mediaIndex(), media.createdAt, id).exec();
    return media;
  }

  async link(media: StoredMedia, now = Date.now()): Promise<string> {
    const exp = Math.floor((now + this.options.linkTtlMs) / 1000);
    const token = `${media.id}.${exp}.${await this.sign(`${media.id}.${exp}`)}`;
    return `${this.options.publicUrl().replace(/\/$/, '')}/media/${token}/${encodeURIComponent(media.filename)}`;
  }

  /** The stored file a link of this daemon points to; undefined for any other URL. */
  idOf(url: string): string | undefined {
    const base = `${this.options.publicUrl().replace(/\/$/, '')}/media/`;
    if (!url.startsWith(base)) return undefined;
    return url.slice(base.length).split('.')[0];
  }

  async open(token: string, now = Date.now()): Promise<MediaLookup> {
    const [id, exp, sig] = token.split('.');
    if (!id || !exp || !sig || !safeEqual(sig, await this.sign(`${id}.${exp}`)))
      return { ok: false, status: 403, reason: 'the link is not valid (bad signature)' };
    if (Number(exp) * 1000 < now) return { ok: false, status: 403, reason: 'the link has expired' };
    const media = await this.get(id);
    if (!media) return { ok: false, status: 404, reason: 'the file is no longer stored' };
    return { ok: true, media, path: join(this.options.dir, id) };
  }

  async get(id: string): Promise<StoredMedia | undefined> {
    const raw = await this.redis.get(this.keys.media(id));
    return raw ? (JSON.parse(raw) as StoredMedia) : undefined;
  }

  async read(id: string): Promise<{ media: StoredMedia; data: Buffer } | undefined> {
    const media = await this.get(id);
    if (!media) return undefined;
    const data = await readFile(join(this.options.dir, id)).catch(() => undefined);
    return data ? { media, data } : undefined;
  }

  async pin(id: string, pinned: boolean): Promise<void> {
    const media = await this.get(id);
    if (media) await this.redis.set(this.keys.media(id), JSON.stringify({ ...media, pinned }));
  }

  /** Unpins a file and lets the sweep delete it `keepMs` from now (the index is scored by "retention starts"). */
  async release(id: string, keepMs: number, now = Date.now()): Promise<void> {
    if (keepMs <= 0) return this.remove(id);
    await this.pin(id, false);
    await this.redis.zadd(this.keys.mediaIndex(), now + keepMs - this.options.retentionMs, id);
  }

  async remove(id: string): Promise<void> {
    await this.redis.multi().del(this.keys.media(id)).zrem(this.keys.mediaIndex(), id).exec();
    await rm(join(this.options.dir, id), { force: true });
  }

  /** Deletes unpinned files older than the retention; returns how many went. */
  async sweep(now = Date.now()): Promise<number> {
    const old = await this.redis.zrangebyscore(this.keys.mediaIndex(), 0, now - this.options.retentionMs);
    let removed = 0;
    for (const id of old) {
      const media = await this.get(id);
      if (media?.pinned) continue;
      await this.remove(id);
      removed++;
    }
    return removed;
  }

  private async sign(payload: string): Promise<string> {
    if (!this.secret) {
      await this.redis.set(this.keys.mediaSecret(), randomBytes(32).toString('hex'), 'NX');
      this.secret = Buffer.from((await this.redis.get(this.keys.mediaSecret()))!, 'hex');
    }
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'application/pdf': 'pdf',
  'video/mp4': 'mp4',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
};

/** A name safe in a URL path and carrying an extension (WhatsApp photos come without a file name). */
function safeName(filename: string | undefined, mimetype: string): string {
  const cleaned = (filename ?? '')
    .replace(/[^\w.-]+/g, '_')
    .replace(/^[._]+/, '')
    .replace(/[._-]+$/, '')
    .slice(-100);
  // An extension has a letter in it ("v1.2" has none): Typebot checks file types by extension.
  if (cleaned && /\.(?=[a-z0-9]*[a-z])[a-z0-9]{1,5}$/i.test(cleaned)) return cleaned;
  const ext = EXTENSIONS[mimetype.split(';')[0].trim()] ?? 'bin';
  return `${cleaned || 'file'}.${ext}`;
}
