import type { AxiosInstance } from 'axios';
import QRCode from 'qrcode';
import type { SessionStatus } from '../../sessions/manager';

export class PairingFailed extends Error {}

/** Follows a login from the terminal: redraws the QR when WhatsApp rotates it, ends when connected. */
export async function pairSession(
  client: AxiosInstance,
  id: string,
  opts: { phone?: string; timeoutMs: number; pollMs?: number; out?: NodeJS.WritableStream },
): Promise<string> {
  const out = opts.out ?? process.stdout;
  const deadline = Date.now() + opts.timeoutMs;
  let { data: status } = await client.post<SessionStatus>(
    `/sessions/${encodeURIComponent(id)}/login`,
    opts.phone ? { phone: opts.phone } : {},
  );
  let shown = '';
  for (;;) {
    if (status.state === 'CONNECTED') {
      out.write(`\npaired: session ${id} is CONNECTED as ${status.me ?? 'unknown number'}\n`);
      return status.me ?? '';
    }
    if (status.state === 'LOGGED_OUT' || status.state === 'BAD_CREDENTIALS') {
      throw new PairingFailed(`pairing failed: session ${id} is ${status.state}${status.reason ? ` (${status.reason})` : ''}`);
    }
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    const p = status.pairing;
    const key = p ? `${p.qr ?? p.pairingCode}` : '';
    if (p && key !== shown) {
      shown = key;
      if (p.pairingCode) {
        out.write(`\npairing code (attempt ${p.attempt}): ${p.pairingCode.slice(0, 4)}-${p.pairingCode.slice(4)}\n`);
        out.write('On the phone: WhatsApp > Linked devices > Link a device > Link with phone number instead.\n');
      } else if (p.qr) {
        out.write(`\x1b[2J\x1b[H`);
        out.write(await QRCode.toString(p.qr, { type: 'terminal', small: true }));
        out.write(`Scan with WhatsApp > Linked devices (QR ${p.attempt}; waiting ${left}s more)\n`);
      }
    }
    if (Date.now() >= deadline)
      throw new PairingFailed(`pairing timed out after ${Math.round(opts.timeoutMs / 1000)} s; session ${id} is ${status.state}`);
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 1000));
    ({ data: status } = await client.get<SessionStatus>(`/sessions/${encodeURIComponent(id)}`));
  }
}
