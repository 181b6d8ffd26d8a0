import { Router } from 'express';
import { z } from 'zod';
import type { DeadLetters } from '../queue/dead-letters';
import { HttpError } from './errors';
import { parseBody } from './validate';

export interface Replayable {
  name: string;
  replay(id: string): Promise<boolean>;
}

export const replayBody = z
  .object({ queue: z.string().optional(), id: z.string().optional(), all: z.boolean().optional() })
  .strict()
  .refine((b) => !!b.id !== !!b.all, { message: 'give either "id" or "all": true' });

/** `GET /admin/dlq` lists what could not be relayed; `POST /admin/dlq/replay` puts it back in line. */
export function adminDlqRoutes(deadLetters: DeadLetters, queues: Replayable[]): Router {
  const router = Router();
  const names = queues.map((q) => q.name);
  const pick = (name: unknown): string[] => {
    if (name === undefined) return names;
    if (typeof name !== 'string' || !names.includes(name))
      throw new HttpError(400, 'unknown_queue', `queue must be one of ${names.join(', ')}`);
    return [name];
  };
  router.get('/dlq', async (req, res) => {
    const entries = (await Promise.all(pick(req.query.queue).map((q) => deadLetters.list(q)))).flat();
    res.json({ entries: entries.map(({ data, ...rest }) => ({ ...rest, summary: summarize(data) })) });
  });
  router.get('/dlq/:queue/:id', async (req, res) => {
    const [queue] = pick(req.params.queue);
    const entry = await deadLetters.get(queue, req.params.id);
    if (!entry) throw new HttpError(404, 'not_found', `no dead letter ${req.params.id} in ${queue}`);
    res.json(entry);
  });
  router.post('/dlq/replay', async (req, res) => {
    const body = parseBody(replayBody, req.body ?? {});
    const replayed: string[] = [];
    for (const name of pick(body.queue)) {
      const queue = queues.find((q) => q.name === name)!;
      const ids = body.all ? (await deadLetters.list(name)).map((e) => e.id) : [body.id!];
      for (const id of ids) if (await queue.replay(id)) replayed.push(id);
    }
    if (body.id && !replayed.length) throw new HttpError(404, 'not_found', `no dead letter with id ${body.id}`);
    res.json({ replayed });
  });
  return router;
}

/** A line an operator can read without seeing message content. */
function summarize(data: unknown): string {
  const d = data as
    | {
        session?: string;
        event?: { type?: string; message?: { kind?: string } };
        kind?: string;
        type?: string;
        message?: { kind?: string };
        id?: string;
      }
    | undefined;
  if (d?.event) return `${d.session ?? '?'}: ${d.event.type}${d.event.message?.kind ? ` (${d.event.message.kind})` : ''}`;
  // A bot job (a user's message for the flow) or a registration delivery.
  if (d?.type && d.session) return `${d.session}: bot ${d.type}${d.message?.kind ? ` (${d.message.kind})` : ''}`;
  if (d?.id && Object.keys(d).length === 1) return `registration ${d.id}`;
  return d?.kind ?? 'item';
}
