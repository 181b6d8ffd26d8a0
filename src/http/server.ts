import http from 'node:http';
import { claimOwnPort } from '../guarded-fetch/own-ports';

export interface RunningServer {
  server: http.Server;
  port: number;
  /** The thread that owns the port when it is not this one (wiring/http.ts). */
  front?: import('./front/front-door').FrontDoor;
  /** Stops accepting, lets requests in flight finish within `graceMs`, then cuts the rest. */
  close(graceMs: number): Promise<void>;
}

/** Serves `handler` (an express app or a plain request listener) on host:port. */
export function listen(handler: http.RequestListener, port: number, host: string): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handler);
    server.keepAliveTimeout = 5000;
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const actual = (server.address() as { port: number }).port;
      const release = claimOwnPort(actual);
      server.once('close', release);
      resolve({
        server,
        port: actual,
        close: (graceMs) =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => server.closeAllConnections(), graceMs);
            server.close(() => {
              clearTimeout(timer);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
