/**
 * The browser tests' runtime: builds the web console when it is missing or older than its
 * sources, then runs the real `npm start` entry (local/start.ts) as a child process on a free
 * port with a fresh data folder, waits for `GET /health` → 200, and stops it with SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');

export { ensureWebBuilt } from '../../../local/web-build.ts';

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? ok(addr.port) : fail(new Error('no free port'))));
    });
  });
}

export interface Onestop {
  url: string;
  logs: string[];
  child: ChildProcess;
  stop(): Promise<number | null>;
}

/**
 * `dataDir`: run on this data folder and keep it when stopped (a restart on the same data, e.g.
 * with the clock moved on); by default a fresh folder, removed when stopped.
 */
export async function startOnestop(
  env: Record<string, string> = {},
  opts: { dataDir?: string } = {},
): Promise<Onestop> {
  // Debugging aid: point the tests at a runtime you started yourself (its data is then shared).
  const given = process.env.ONESTOP_TEST_URL;
  if (given) return { url: given.replace(/\/$/, ''), logs: [], child: spawn('true'), stop: async () => 0 };
  const port = await freePort();
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'onestop-browser-'));
  const logs: string[] = [];
  // node itself runs the runtime (tsx as a loader, as the e2e runtime does): the tsx CLI relays
  // SIGTERM and kills its child outright when the child does not acknowledge within 30 ms, which a
  // busy machine misses (exit 143, the data left mid-write)
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), ONESTOP_DATA_DIR: dataDir, SWEEP_INTERVAL_MS: '1000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (b: Buffer) => logs.push(b.toString()));
  child.stderr?.on('data', (b: Buffer) => logs.push(b.toString()));
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`Onestop exited early (${child.exitCode}):\n${logs.join('')}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Onestop did not become healthy in time:\n${logs.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    logs,
    child,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
      return child.exitCode;
    },
  };
}

/** A demo user's token from the dev identity provider; `expiresIn` (seconds) asks for a short life. */
export async function tokenFor(
  url: string,
  claims: Record<string, string>,
  expiresIn?: number,
): Promise<string> {
  const res = await fetch(`${url}/local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(expiresIn === undefined ? claims : { ...claims, expiresIn }),
  });
  if (res.status !== 200) throw new Error(`token ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
