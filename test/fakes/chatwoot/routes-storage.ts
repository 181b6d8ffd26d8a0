import { Router } from 'express';
import { notFound } from './errors';
import { findAttachment, verifyBlobId } from './messages';
import type { FakeContext } from './app';

/**
 * ActiveStorage's redirect controller and disk service, unauthenticated like in Rails: data_url answers a
 * redirect to a short-lived disk URL that serves the bytes. A bridge that does not follow redirects gets no file.
 */
export function storageRouter(ctx: FakeContext): Router {
  const r = Router();

  r.get('/rails/active_storage/blobs/redirect/:signed/:filename', (req, res) => {
    const id = verifyBlobId(req.params.signed);
    const att = id === null ? undefined : findAttachment(ctx.store, id);
    if (!att) throw notFound('unknown or tampered blob signed id (or the message was deleted)');
    if (ctx.storageUrl)
      return res.redirect(
        302,
        `${ctx.storageUrl.replace(/\/$/, '')}/${att.blob_key}/${encodeURIComponent(att.filename)}?X-Amz-Signature=fake`,
      );
    const host = req.headers.host ?? '127.0.0.1';
    const ct = encodeURIComponent(att.content_type);
    res.redirect(
      302,
      `http://${host}/rails/active_storage/disk/${att.blob_key}/${encodeURIComponent(att.filename)}?content_type=${ct}&disposition=inline`,
    );
  });

  r.get('/rails/active_storage/disk/:key/:filename', (req, res) => {
    let att;
    for (const m of ctx.store.messages.values()) {
      att = m.attachments.find((a) => a.blob_key === req.params.key);
      if (att) break;
    }
    if (!att) throw notFound('unknown blob key');
    res
      .status(200)
      .set({
        'Content-Type': att.content_type,
        'Content-Length': String(att.data.length),
        'Content-Disposition': `inline; filename="${att.filename.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(att.filename)}`,
      })
      .end(att.data);
  });

  return r;
}
