import http from 'node:http';
import { createProxyServer } from 'http-proxy-3';
import type { Logger } from '../../observability/logger';

/**
 * Hands a request to the main thread's own server, untouched (bodies and answers stream through). Every
 * route but Chatwoot's webhook lives there, next to the sessions and relays it needs.
 */
export function passThrough(innerPort: number, logger: Logger): http.RequestListener {
  const proxy = createProxyServer({ target: `http://127.0.0.1:${innerPort}`, xfwd: true, agent: new http.Agent({ keepAlive: true }) });
  proxy.on('error', (err: Error, req: http.IncomingMessage, res: http.ServerResponse | import('node:net').Socket) => {
    logger.error(
      { err: { message: err.message }, method: req.method, path: req.url?.split('?')[0] },
      'the main thread did not answer a request',
    );
    if (!(res instanceof http.ServerResponse)) return void res.destroy();
    if (res.headersSent) return void res.destroy();
    res.writeHead(502, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'unavailable', message: `the daemon could not answer: ${err.message}` } }));
  });
  return (req, res) => void proxy.web(req, res);
}
