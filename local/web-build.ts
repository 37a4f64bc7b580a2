/**
 * Builds the console (web/ → web/dist with Vite) when it is missing or older than its sources,
 * so `npm start` always serves the current console without a separate step.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

/** Runs `vite build` for web/ unless web/dist is newer than every source file. Returns ms spent. */
export function ensureWebBuilt(log: (line: string) => void = () => {}): number {
  const dist = join(ROOT, 'web/dist/index.html');
  const sources = [
    'web/src',
    'web/index.html',
    'web/api-docs.html',
    'web/vite.config.ts',
    'package-lock.json',
  ].map((p) => join(ROOT, p));
  const newest = Math.max(...sources.filter(existsSync).map(newestMtime));
  if (existsSync(dist) && statSync(dist).mtimeMs >= newest) return 0;
  const started = Date.now();
  log('Building the console (web/dist)…');
  execFileSync(
    join(ROOT, 'node_modules/.bin/vite'),
    ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'inherit',
      // under vitest NODE_ENV=test, which would make Vite bundle React's development build
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  const ms = Date.now() - started;
  log(`Console built in ${(ms / 1000).toFixed(1)} s`);
  return ms;
}
