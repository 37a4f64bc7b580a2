/**
 * `npm start`: the whole service on one machine, on loopback. Environment:
 *   PORT               API and console port (default 3000)
 *   ONESTOP_DATA_DIR   data folder (default .local), kept across restarts
 *   SWEEP_INTERVAL_MS  sweeper period (default 60000; lower for demos and tests)
 *   ONESTOP_DEMO=1     also submit a few demo applications on first start
 */

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { modules } from '../functions/services/registry.ts';
import { banner, startRuntime } from './runtime.ts';
import { ensureWebBuilt } from './web-build.ts';

const started = Date.now();
const port = Number(process.env.PORT ?? 3000);

async function main() {
  rmSync(join(process.env.ONESTOP_DATA_DIR ?? '.local', 'runtime.json'), { force: true });
  if (process.env.ONESTOP_SKIP_WEB_BUILD !== '1') ensureWebBuilt((line) => console.log(line));
  console.log('Starting Onestop: DynamoDB Local, local SES, SMS sink, API, stream poller, sweeper…');
  let writeInfo = () => {};
  const rt = await startRuntime({
    port,
    dataDir: process.env.ONESTOP_DATA_DIR ?? '.local',
    sweepIntervalMs: Number(process.env.SWEEP_INTERVAL_MS ?? 60_000),
    log: (line: string) => console.log(line),
    onRestart: () => writeInfo(),
  });
  if (process.env.ONESTOP_DEMO === '1') {
    for (const m of modules) {
      if (!m.local?.demo) continue;
      const { seedDemo } = (await import(
        /* @vite-ignore */ `../functions/services/${m.definition.id}/${m.local.demo}.ts`
      )) as {
        seedDemo: (base: string, log: (line: string) => void) => Promise<void>;
      };
      await seedDemo(rt.url, (line: string) => console.log(line));
    }
  }
  const dataDir = process.env.ONESTOP_DATA_DIR ?? '.local';
  // Where tools and tests find the URLs of this run (rewritten when an emulator is restarted).
  const info = join(dataDir, 'runtime.json');
  const startedMs = Date.now() - started;
  writeInfo = () => {
    writeFileSync(
      `${info}.tmp`,
      JSON.stringify({
        url: rt.url,
        mailUrl: rt.mailUrl,
        smsUrl: rt.smsUrl,
        dynamoEndpoint: rt.dynamoEndpoint,
        tableName: rt.tableName,
        pid: process.pid,
        processes: rt.processes(),
        startedMs,
      }),
    );
    renameSync(`${info}.tmp`, info); // readers never see a half-written file
  };
  writeInfo();
  console.log(banner(rt, Date.now() - started));
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await rt.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: Error) => {
  console.error(`\nOnestop could not start: ${err.message}`);
  process.exit(1);
});
