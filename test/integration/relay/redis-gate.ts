import net from 'node:net';

/**
 * A TCP relay between a daemon and its Redis that can stop passing what the daemon writes and then cut
 * every connection: what a `kill -9` does to writes still in the process (an auto-pipeline batch waiting
 * behind the previous one, a persist not yet sent). Redis never sees them, and the daemon can never send
 * them again: the gate stays closed.
 */
export class RedisGate {
  private readonly sockets = new Set<net.Socket>();
  private holding = false;
  /** Bytes the daemon wrote while held: never delivered. */
  swallowed = 0;

  private constructor(
    private readonly server: net.Server,
    readonly url: string,
  ) {}

  static async open(target: { port: number }): Promise<RedisGate> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const gate = new RedisGate(server, `redis://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    server.on('connection', (client) => gate.join(client, target.port));
    return gate;
  }

  /** From now on nothing the daemon writes reaches Redis (connections made later included). */
  hold(): void {
    this.holding = true;
  }

  /** Every connection gone, and no new one accepted: the daemon is dead as far as Redis can tell. */
  async cut(): Promise<void> {
    this.holding = true;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private join(client: net.Socket, port: number): void {
    const upstream = net.connect(port, '127.0.0.1');
    this.sockets.add(client).add(upstream);
    client.on('data', (bytes) => {
      if (this.holding) this.swallowed += bytes.length;
      else upstream.write(bytes);
    });
    upstream.on('data', (bytes) => client.write(bytes));
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    for (const s of [client, upstream]) {
      s.on('close', end);
      s.on('error', end);
    }
  }
}
