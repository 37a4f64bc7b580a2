/**
 * Cold-start proxy: a fresh Node process that imports one handler bundle (esbuild, minified ESM,
 * as deployed) and builds its clients, against a fresh Node process importing an empty module,
 * in the same run. Reports the median wall time of several runs and the ratio to the baseline.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { handlerEntry, handlerNames, scheduledHandlers, streamHandlers } from '../functions/http/routes.ts';
import { bundleOptions } from '../lib/constructs/bundling.ts';
import { table, writeResult } from './support.ts';

const RUNS = 7;
const outDir = resolve('.local/bench-bundles');
mkdirSync(outDir, { recursive: true });
const keyDir = mkdtempSync(join(outDir, 'keys-'));

const entries: Record<string, string> = {
  ...Object.fromEntries(handlerNames.map((n) => [`http-${n}`, handlerEntry.http(n)])),
  ...Object.fromEntries(streamHandlers.map((n) => [`stream-${n}`, handlerEntry.stream(n)])),
  ...Object.fromEntries(scheduledHandlers.map((n) => [`scheduled-${n}`, handlerEntry.scheduled(n)])),
};

async function bundle(name: string, entry: string) {
  const outfile = join(outDir, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    // The deployed bundles' options (lib/constructs/bundling.ts), for this machine's Node.
    minify: bundleOptions.minify,
    format: bundleOptions.format,
    platform: bundleOptions.platform,
    target: 'node20',
    mainFields: [...bundleOptions.mainFields],
    external: [...bundleOptions.external],
    banner: { js: bundleOptions.banner },
    logLevel: 'silent',
  });
  return outfile;
}

function timeProcess(script: string): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, TABLE_NAME: 'bench', DATA_KEY_FILE: join(keyDir, 'k.json'), LOG_LEVEL: 'error' },
      encoding: 'utf8',
    });
    if (res.status !== 0) throw new Error(res.stderr);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

async function main() {
  const empty = join(outDir, 'empty.mjs');
  writeFileSync(empty, 'export const handler = async () => ({});\n');
  const baseline = timeProcess(`await import(${JSON.stringify(empty)});`);
  // Clients are built lazily on the first call; the wiring bundle builds them explicitly.
  const wiring = await bundle('wiring', 'functions/shared/wiring.ts');
  const rows = [{ module: 'empty module (baseline)', KB: 0, 'median ms': baseline.toFixed(1), ratio: '1.0' }];
  const withClients = timeProcess(`const m = await import(${JSON.stringify(wiring)}); m.wiring();`);
  rows.push({
    module: 'wiring + clients built',
    KB: Math.round(statSync(wiring).size / 1024),
    'median ms': withClients.toFixed(1),
    ratio: (withClients / baseline).toFixed(2),
  });
  for (const [name, entry] of Object.entries(entries)) {
    const file = await bundle(name, entry);
    const ms = timeProcess(`await import(${JSON.stringify(file)});`);
    rows.push({
      module: name,
      KB: Math.round(statSync(file).size / 1024),
      'median ms': ms.toFixed(1),
      ratio: (ms / baseline).toFixed(2),
    });
  }
  table(rows);
  writeResult('cold-start', { runs: RUNS, rows });
}

await main();
