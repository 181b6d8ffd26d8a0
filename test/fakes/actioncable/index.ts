import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';

/**
 * A Rails ActionCable server as Chatwoot runs it at `/cable`, speaking the real wire format
 * (`actioncable-v1-json`): `{"type":"welcome"}` on connect, `{"type":"ping","message":<unix>}` every 3 s,
 * `confirm_subscription` / `reject_subscription` for `{"command":"subscribe","identifier":"<json>"}`, and
 * broadcasts as `{"identifier":"<json>","message":{"event":…,"data":…}}`. Test controls: drop every
 * connection, refuse new ones, stall (a half-dead connection: open but silent).
 */
export const CABLE_PROTOCOL = 'actioncable-v1-json';

export interface SubscribeParams {
  channel?: unknown;
  pubsub_token?: unknown;
  account_id?: unknown;
  user_id?: unknown;
}

export interface ActionCableFakeOptions {
  path?: string;
  /** ActionCable's heartbeat is 3 s. */
  pingIntervalMs?: number;
  /** Whether a RoomChannel subscription is allowed (Chatwoot finds the user by pubsub_token and user_id). */
  authorize?: (params: SubscribeParams) => boolean;
  /**
   * What a refused subscription hears: `reject` is ActionCable's `reject_subscription` (a channel calling
   * `reject`); `silence` is nothing at all, as when the channel's `subscribed` raises (ActionCable logs
   * "Could not execute command" and answers nothing).
   */
  refusal?: 'reject' | 'silence';
  /** A broadcast the channel sends to the new subscription itself (Chatwoot: presence.update). */
  onSubscribed?: (params: SubscribeParams) => { event: string; data: Record<string, unknown> } | undefined;
}

export interface CableCommand {
  command: string;
  identifier: string;
  data?: string;
  at: number;
}

export interface UpgradeAttempt {
  at: number;
  origin?: string;
  protocols: string[];
  outcome: 'accepted' | 'refused' | 'bad_protocol' | 'not_found';
}

interface Client {
  ws: WebSocket;
  subscriptions: Set<string>;
  ping?: NodeJS.Timeout;
}

export class ActionCableFake {
  readonly path: string;
  private readonly pingIntervalMs: number;
  private readonly authorize: (params: SubscribeParams) => boolean;
  private readonly refusal: 'reject' | 'silence';
  private readonly onSubscribed?: ActionCableFakeOptions['onSubscribed'];
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly clients = new Set<Client>();
  private readonly commandLog: CableCommand[] = [];
  private readonly upgradeLog: UpgradeAttempt[] = [];
  private refusing = false;
  private stalled = false;
  private deaf = false;
  private ownServer?: Server;
  private readonly attachedTo = new Set<Server>();
  private base = '';

  constructor(opts: ActionCableFakeOptions = {}) {
    this.path = opts.path ?? '/cable';
    this.pingIntervalMs = opts.pingIntervalMs ?? 3000;
    this.authorize = opts.authorize ?? (() => true);
    this.refusal = opts.refusal ?? 'reject';
    this.onSubscribed = opts.onSubscribed;
  }

  /** Serves `/cable` on an existing HTTP server (the Chatwoot fake's), like Chatwoot does. */
  attach(server: Server): void {
    if (this.attachedTo.has(server)) return;
    this.attachedTo.add(server);
    server.on('upgrade', this.onUpgrade);
    const addr = server.address() as AddressInfo | null;
    if (addr) this.base = `ws://127.0.0.1:${addr.port}`;
  }

  /** Serves `/cable` on its own port; resolves with the ws:// URL of the endpoint. */
  async listen(port = 0): Promise<string> {
    if (!this.ownServer) {
      const server = createServer((_req, res) => {
        res.statusCode = 404;
        res.end();
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
      this.ownServer = server;
      this.attach(server);
    }
    return this.url;
  }

  /** ws://127.0.0.1:<port>/cable of the server it was last attached to. */
  get url(): string {
    return `${this.base}${this.path}`;
  }

  /**
   * Sends `{event, data}` to every subscription streaming from it (`to`: all when absent); returns how many
   * got it (none while stalled or deaf).
   */
  broadcast(event: string, data: Record<string, unknown>, to?: (params: SubscribeParams) => boolean): number {
    if (this.stalled || this.deaf) return 0;
    let sent = 0;
    for (const c of this.clients) {
      if (c.ws.readyState !== WebSocket.OPEN) continue;
      for (const identifier of c.subscriptions) {
        if (to && !to(JSON.parse(identifier) as SubscribeParams)) continue;
        c.ws.send(JSON.stringify({ identifier, message: { event, data } }));
        sent += 1;
      }
    }
    return sent;
  }

  /**
   * Ends every connection: `terminate` cuts the TCP connection (a network drop), `restart` first sends
   * ActionCable's `{"type":"disconnect","reason":"server_restart","reconnect":true}` and closes cleanly.
   */
  dropAll(how: 'terminate' | 'restart' = 'terminate'): number {
    const n = this.clients.size;
    for (const c of [...this.clients]) {
      this.forget(c);
      if (how === 'restart' && c.ws.readyState === WebSocket.OPEN) {
        c.ws.send(JSON.stringify({ type: 'disconnect', reason: 'server_restart', reconnect: true }));
        c.ws.close(1000);
      } else {
        c.ws.terminate();
      }
    }
    return n;
  }

  /** While on, upgrades to /cable answer 503 (Chatwoot unreachable behind its proxy). */
  refuse(on: boolean): void {
    this.refusing = on;
  }

  /** While on, connections stay open but nothing is sent: no pings, broadcasts lost (a half-dead link). */
  stall(on: boolean): void {
    this.stalled = on;
  }

  /**
   * While on, subscriptions keep their pings and confirmations but hear no broadcast: the pub/sub behind
   * the cable lost them (a Redis failover under ActionCable, a stream on a stale token) while the
   * connection itself looks healthy.
   */
  deafen(on: boolean): void {
    this.deaf = on;
  }

  connections(): number {
    return this.clients.size;
  }

  subscribers(): number {
    let n = 0;
    for (const c of this.clients) n += c.subscriptions.size;
    return n;
  }

  commands(): CableCommand[] {
    return this.commandLog.map((c) => ({ ...c }));
  }

  upgrades(): UpgradeAttempt[] {
    return this.upgradeLog.map((u) => ({ ...u, protocols: [...u.protocols] }));
  }

  async close(): Promise<void> {
    this.dropAll();
    for (const server of this.attachedTo) server.off('upgrade', this.onUpgrade);
    this.attachedTo.clear();
    const own = this.ownServer;
    this.ownServer = undefined;
    if (own) {
      own.closeAllConnections();
      await new Promise<void>((resolve) => own.close(() => resolve()));
    }
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const pathname = new URL(req.url ?? '/', 'http://fake').pathname;
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const log = (outcome: UpgradeAttempt['outcome']) =>
      this.upgradeLog.push({ at: Date.now(), origin: req.headers.origin, protocols, outcome });
    if (pathname !== this.path) {
      log('not_found');
      return void socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
    if (this.refusing) {
      log('refused');
      return void socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
    if (!protocols.includes(CABLE_PROTOCOL)) {
      log('bad_protocol');
      return void socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
    log('accepted');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
  };

  private onConnection(ws: WebSocket): void {
    const client: Client = { ws, subscriptions: new Set() };
    this.clients.add(client);
    this.send(client, { type: 'welcome' });
    client.ping = setInterval(() => this.send(client, { type: 'ping', message: Math.floor(Date.now() / 1000) }), this.pingIntervalMs);
    client.ping.unref();
    ws.on('message', (raw) => this.onCommand(client, raw.toString()));
    ws.on('close', () => this.forget(client));
    ws.on('error', () => this.forget(client));
  }

  private onCommand(client: Client, raw: string): void {
    let cmd: { command?: unknown; identifier?: unknown; data?: unknown };
    try {
      cmd = JSON.parse(raw) as typeof cmd;
    } catch {
      return; // ActionCable logs and ignores what it cannot decode
    }
    if (typeof cmd.command !== 'string' || typeof cmd.identifier !== 'string') return;
    this.commandLog.push({
      command: cmd.command,
      identifier: cmd.identifier,
      data: typeof cmd.data === 'string' ? cmd.data : undefined,
      at: Date.now(),
    });
    if (cmd.command === 'subscribe') {
      if (client.subscriptions.has(cmd.identifier)) return; // "Already subscribed": logged, nothing sent
      let params: SubscribeParams | undefined;
      try {
        params = JSON.parse(cmd.identifier) as SubscribeParams;
      } catch {
        params = undefined;
      }
      if (!params || params.channel !== 'RoomChannel' || !this.authorize(params)) {
        if (this.refusal === 'reject') this.send(client, { identifier: cmd.identifier, type: 'reject_subscription' });
        return;
      }
      client.subscriptions.add(cmd.identifier);
      this.send(client, { identifier: cmd.identifier, type: 'confirm_subscription' });
      const hello = this.onSubscribed?.(params);
      if (hello && !this.deaf) this.send(client, { identifier: cmd.identifier, message: hello });
    } else if (cmd.command === 'unsubscribe') {
      client.subscriptions.delete(cmd.identifier);
    }
  }

  private send(client: Client, frame: Record<string, unknown>): void {
    if (this.stalled || client.ws.readyState !== WebSocket.OPEN) return;
    client.ws.send(JSON.stringify(frame));
  }

  private forget(client: Client): void {
    clearInterval(client.ping);
    this.clients.delete(client);
  }
}
