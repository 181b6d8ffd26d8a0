import { Router } from 'express';
import { z } from 'zod';
import type { SimulatorEngine } from '../engines/simulator/simulator-engine';
import { simulatorControlSchema } from '../engines/simulator/simulator-control';
import { inboundSchema } from '../engines/simulator/simulator-customer';
import { SESSION_STATES } from '../engines/types';
import { HttpError } from './errors';
import { parseBody } from './validate';

export const stateBody = z.object({ state: z.enum(SESSION_STATES), reason: z.string().optional() }).strict();

/** Drives simulator sessions as WhatsApp would: inject messages, read what Ponte sent, force states. */
export function simulatorRoutes(find: (id: string) => SimulatorEngine | undefined): Router {
  const router = Router();
  const engine = (id: string) => {
    const e = find(id);
    if (!e) throw new HttpError(404, 'unknown_session', `no simulator session "${id}"`);
    return e;
  };
  // Accepted means persisted: 202 only once the relay has the event in Redis, so a daemon killed right
  // after the answer still relays it (README "Nothing lost").
  router.post('/simulator/:session/inbound', async (req, res) => {
    const sim = engine(req.params.session);
    const body = parseBody(inboundSchema, req.body);
    const { id, persisted } = await sim.deliver(body);
    if (!persisted) {
      throw new HttpError(
        503,
        'not_persisted',
        `event ${id} reached the simulated phone but Redis did not take it: Ponte holds it in memory and keeps trying; sending it again with the same id is safe`,
      );
    }
    res.status(202).json({ id, delivered: !body.silent && sim.state() === 'CONNECTED', state: sim.state() });
  });
  router.get('/simulator/:session/sent', (req, res) => {
    res.json({ sent: engine(req.params.session).sent() });
  });
  // The unkind facts of WhatsApp Web (ENGINES.md "Second look"), switched on for a running daemon.
  router.post('/simulator/:session/control', (req, res) => {
    const sim = engine(req.params.session);
    res.json({ ...sim.control(parseBody(simulatorControlSchema, req.body)), state: sim.state() });
  });
  router.post('/simulator/:session/state', (req, res) => {
    const sim = engine(req.params.session);
    const body = parseBody(stateBody, req.body);
    sim.force(body.state, body.reason);
    res.json({ state: sim.state() });
  });
  return router;
}
