import net from 'node:net';

/**
 * Throws, naming the first port in use, before the demo touches anything: a second `npm run demo` must
 * not wipe the data of one already running on the same ports.
 */
export async function ensurePortsFree(ports: Array<{ what: string; host: string; port: number }>): Promise<void> {
  for (const p of ports) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(false));
      probe.listen(p.port, p.host, () => probe.close(() => resolve(true)));
    });
    if (!free) {
      throw new Error(
        `${p.what} port ${p.host}:${p.port} is in use (another demo running?); left its data alone. Stop it first, or give this one other ports in its config`,
      );
    }
  }
}
