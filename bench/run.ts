/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process, one after another (they share
 * two cores), and prints how long each took. Each writes bench/results/<name>.json; the README
 * quotes the latest figures.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const only = process.argv.slice(2);
const benches = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const started = Date.now();
const summary: Array<{ bench: string; seconds: string; status: string }> = [];
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  const t0 = Date.now();
  const res = spawnSync(process.execPath, ['--import', 'tsx', `bench/${file}`], {
    stdio: 'inherit',
    env: { ...process.env, LOG_LEVEL: 'error', NODE_NO_WARNINGS: '1' },
  });
  summary.push({
    bench: file,
    seconds: ((Date.now() - t0) / 1000).toFixed(1),
    status: res.status === 0 ? 'ok' : `failed (${res.status})`,
  });
}
console.log('\n=== summary ===');
console.table(summary);
console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s; results in bench/results/`);
if (summary.some((s) => s.status !== 'ok')) process.exit(1);
