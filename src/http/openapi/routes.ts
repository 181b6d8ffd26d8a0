import { Router } from 'express';
import { openApiDocument } from './document';
import { renderApiPage } from './page';

/**
 * `GET /openapi.json` and its page `GET /admin/ui/api`, both without a token: the document holds no
 * secret and no data, and other tools (and a browser) must read it. Mount before the Bearer-protected
 * `/admin`.
 */
export function openApiRoutes(): Router {
  const router = Router({ strict: true });
  let page: string | undefined;
  router.get('/openapi.json', (_req, res) => {
    res.set('Cache-Control', 'no-cache').json(openApiDocument());
  });
  router.get('/admin/ui/api', (_req, res) => {
    page ??= renderApiPage(openApiDocument());
    res.set({
      'Content-Type': 'text/html; charset=utf-8',
      // No script at all; only the page's own inline style.
      'Content-Security-Policy':
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    res.send(page);
  });
  return router;
}
