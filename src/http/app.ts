import express, { type Express, type Router } from 'express';
import type { Logger } from '../observability/logger';
import { bearerAuth } from './auth';
import { errorHandler, notFound } from './errors';
import { healthRoutes, type HealthDeps } from './health-routes';
import { openApiRoutes } from './openapi/routes';

export interface AppParts extends HealthDeps {
  logger: Logger;
  adminToken: string;
  /** Routers mounted under /admin behind the Bearer token. */
  admin: Router[];
  /** Routers mounted at the root that do their own authentication (webhooks). */
  publicRoutes?: Router[];
  /** Browser pages under /admin that a browser must reach without the Bearer header (they call the API with it). */
  uiRoutes?: Router[];
}

export function buildApp(parts: AppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  for (const r of parts.publicRoutes ?? []) app.use(r);
  app.use(healthRoutes(parts));
  // The document of this surface, public like the admin page's shell: it holds no secret and no data.
  app.use(openApiRoutes());
  for (const r of parts.uiRoutes ?? []) app.use(r);
  // Someone opening Ponte's address in a browser wants the admin page.
  if (parts.uiRoutes?.length) app.get('/', (_req, res) => res.redirect(302, '/admin/ui'));
  app.use('/admin', bearerAuth(parts.adminToken), express.json({ limit: '60mb' }), ...parts.admin);
  app.use(notFound);
  app.use(errorHandler(parts.logger));
  return app;
}
