import { Router } from 'express';
import type { MediaStore } from '../store/media-store';
import type { Metrics } from '../observability/metrics';

/** GET /media/<signed token>/<file name>: the files users sent to a flow, for Typebot (or the backend) to fetch. */
export function mediaRoutes(store: MediaStore, metrics: Metrics): Router {
  const router = Router();
  const serve = async (token: string, res: import('express').Response) => {
    const found = await store.open(token);
    if (!found.ok) {
      metrics.mediaServed.labels(found.status === 403 ? 'refused' : 'gone').inc();
      res.status(found.status).json({ error: found.status === 403 ? 'forbidden' : 'not_found', message: found.reason });
      return;
    }
    metrics.mediaServed.labels('ok').inc();
    res.setHeader('Content-Type', found.media.mimetype);
    res.setHeader('Content-Disposition', `inline; filename="${found.media.filename}"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.sendFile(found.path, { dotfiles: 'allow' });
  };
  router.get('/media/:token', (req, res) => serve(req.params.token, res));
  router.get('/media/:token/:name', (req, res) => serve(req.params.token, res));
  return router;
}
