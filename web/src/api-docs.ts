/**
 * The interactive API page (`GET /docs` redirects here): Swagger UI from the swagger-ui-dist
 * package, bundled into the console build (no CDN), reading the API's own `/openapi.json` (on
 * AWS the citizen API's, from config.json). Requests sent from the page carry no token unless
 * one is entered in its Authorize dialog.
 */
import SwaggerUI from 'swagger-ui-dist/swagger-ui-es-bundle.js';
import 'swagger-ui-dist/swagger-ui.css';
import { initRuntimeConfig, runtimeConfig } from './auth/config.ts';

void initRuntimeConfig().then(() => {
  const config = runtimeConfig();
  const base = config.auth !== 'local' ? config.pools.citizen.apiUrl : '';
  SwaggerUI({ url: `${base}/openapi.json`, dom_id: '#api-docs', deepLinking: true });
});
