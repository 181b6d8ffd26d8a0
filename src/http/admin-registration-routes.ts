import { Router } from 'express';
import type { RegistrationRecord, RegistrationStatus } from '../store/registrations';
import { HttpError } from './errors';

export interface RegistrationAdmin {
  list(limit: number, status?: RegistrationStatus): Promise<RegistrationRecord[]>;
  get(id: string): Promise<RegistrationRecord | undefined>;
  /** Queues a registration again; false when it is already delivered or still being fixed. */
  retry(id: string): Promise<'queued' | 'delivered' | 'fixing' | 'unknown'>;
}

const STATUSES = ['fixing', 'queued', 'delivered', 'rejected', 'failed'];

/** `GET /admin/registrations[?status=]`, `GET /admin/registrations/:id`, `POST /admin/registrations/:id/retry`. */
export function adminRegistrationRoutes(admin: RegistrationAdmin): Router {
  const router = Router();
  router.get('/registrations', async (req, res) => {
    const status = req.query.status;
    if (status !== undefined && (typeof status !== 'string' || !STATUSES.includes(status)))
      throw new HttpError(400, 'bad_status', `status must be one of ${STATUSES.join(', ')}`);
    const limit = Math.min(500, Math.max(1, Number(req.query.limit ?? 50) || 50));
    res.json({ registrations: (await admin.list(limit, status as RegistrationStatus | undefined)).map(summary) });
  });
  router.get('/registrations/:id', async (req, res) => {
    const rec = await admin.get(req.params.id);
    if (!rec) throw new HttpError(404, 'not_found', `no registration ${req.params.id}`);
    res.json(rec);
  });
  router.post('/registrations/:id/retry', async (req, res) => {
    const verdict = await admin.retry(req.params.id);
    if (verdict === 'unknown') throw new HttpError(404, 'not_found', `no registration ${req.params.id}`);
    if (verdict === 'delivered')
      throw new HttpError(409, 'already_delivered', `registration ${req.params.id} was delivered already; it is not sent twice`);
    if (verdict === 'fixing')
      throw new HttpError(
        409,
        'invalid',
        `registration ${req.params.id} is still invalid (the driver is fixing it); it cannot be sent as is`,
      );
    res.status(202).json({ id: req.params.id, status: 'queued' });
  });
  return router;
}

function summary(r: RegistrationRecord) {
  return {
    id: r.id,
    status: r.status,
    session: r.session,
    phone: r.phone,
    source: r.source,
    driverId: r.driverId,
    error: r.error,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
    files: r.files.length,
  };
}
