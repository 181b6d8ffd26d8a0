import { Router, type Response } from 'express';
import QRCode from 'qrcode';
import type { SessionManager } from '../../sessions/manager';
import { HttpError } from '../errors';
import { ADMIN_UI_CSS } from './page-css';
import { ADMIN_UI_HTML } from './page-html';
import { ADMIN_UI_JS } from './page-js';

/**
 * The page ships no secret, so its shell, script and style are served without the Bearer header (a
 * browser navigating to a URL cannot send one); every piece of data comes from the Bearer-protected
 * JSON API, called by the page's script with the token the operator typed in.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  // QR codes arrive as SVG fetched with the token and shown through a blob: URL.
  "img-src 'self' blob:",
  "connect-src 'self'",
  // The login form is never submitted by the browser: a form that did would put the token in a URL.
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

function secure(res: Response, type: string): void {
  res.set({
    'Content-Type': type,
    'Content-Security-Policy': CSP,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
}

/** Public: `/admin/ui` and its assets. Mount before the Bearer-protected `/admin`. */
export function adminUiRoutes(): Router {
  // strict: "/admin/ui/" would resolve the page's relative asset paths one level too deep.
  const router = Router({ strict: true });
  router.get('/admin/ui/', (_req, res) => res.redirect(301, '../ui'));
  router.get('/admin/ui', (_req, res) => {
    secure(res, 'text/html; charset=utf-8');
    res.send(ADMIN_UI_HTML);
  });
  router.get('/admin/ui/app.js', (_req, res) => {
    secure(res, 'text/javascript; charset=utf-8');
    res.send(ADMIN_UI_JS);
  });
  router.get('/admin/ui/app.css', (_req, res) => {
    secure(res, 'text/css; charset=utf-8');
    res.send(ADMIN_UI_CSS);
  });
  return router;
}

/** Behind the Bearer token (mount under `/admin`): the current QR code of a session as an SVG image. */
export function adminQrRoutes(sessions: SessionManager): Router {
  const router = Router();
  router.get('/sessions/:id/qr.svg', async (req, res) => {
    const status = sessions.status(req.params.id);
    if (!status) throw new HttpError(404, 'unknown_session', `no session "${req.params.id}" is configured`);
    const pairing = status.pairing;
    if (!pairing?.qr) {
      const why = pairing?.pairingCode ? 'it is pairing with a code' : `it is ${status.state}`;
      throw new HttpError(404, 'no_qr', `session "${status.id}" has no QR code to show: ${why}`);
    }
    const svg = await QRCode.toString(pairing.qr, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    res.set({
      'Content-Type': 'image/svg+xml',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'",
      // Which QR this image is: the one the list showed may have rotated since.
      'X-Pairing-Attempt': String(pairing.attempt),
    });
    res.send(svg);
  });
  return router;
}
