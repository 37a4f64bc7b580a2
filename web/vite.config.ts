/**
 * The console's build: `npm run build:web` writes web/dist, which the local runtime serves from
 * the same origin as the API (and the CDK app deploys to S3 + CloudFront).
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
    // the console, and the interactive API page (`GET /docs` redirects to it)
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        apiDocs: fileURLToPath(new URL('./api-docs.html', import.meta.url)),
      },
    },
  },
  server: {
    // `npx vite --config web/vite.config.ts` for UI work against a running `npm start` (PORT 3000)
    proxy: Object.fromEntries(
      ['/services', '/reference', '/applications', '/tasks', '/reports', '/local', '/health'].map((p) => [
        p,
        process.env.ONESTOP_API ?? 'http://127.0.0.1:3000',
      ]),
    ),
  },
});
