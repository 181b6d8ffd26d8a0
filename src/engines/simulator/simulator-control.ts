import { z } from 'zod';

/**
 * Body of a simulator control request: what the simulated WhatsApp (server, page and library) does from
 * now on, for tests and the demo that drive a daemon over HTTP. Each switch is one fact of ENGINES.md
 * "Second look"; the engine's comments name the library source of each.
 */
export const simulatorControlSchema = z
  .object({
    /** WhatsApp Web knows this number (E.164 or digits) by a linked id from now on; the answer gives the lid. */
    knowByLid: z.string().min(3).optional(),
    /** Sends return only once the server acked them (wa-js `waitForAck: true`, wppconnect's default). */
    waitForAck: z.boolean().optional(),
    /** The server never acks sends made from now on (wa-js issue 1187); false: acks come again. */
    withholdAcks: z.boolean().optional(),
    /** The next send is acked with this failure code instead of SENT. */
    failNextSend: z.number().int().min(-7).max(-1).optional(),
    /** The time limit for deleting for everyone has passed for every message sent so far. */
    expireRevokeWindow: z.literal(true).optional(),
    /** Rejecting calls fails on the page (whatsapp-web.js 1.34.7, upstream 201746). */
    breakCallRejection: z.boolean().optional(),
    /** A pairing-code request is refused, and the library leaks the rejection (whatsapp-web.js `Client.js` ~217). */
    refusePairingCodes: z.boolean().optional(),
    /** The phone finished re-uploading the media of this message id. */
    finishReupload: z.string().min(1).optional(),
  })
  .strict();

export type SimulatorControl = z.infer<typeof simulatorControlSchema>;
