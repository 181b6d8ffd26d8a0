export { adminQrRoutes, adminUiRoutes } from './routes';
