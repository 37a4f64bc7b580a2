/**
 * Runs the real `npm start` runtime (local/start.ts) as a child process on free ports with a
 * fresh data folder, for e2e and browser tests; stops it with SIGTERM like Ctrl-C would.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RuntimeProcess {
  url: string;
  mailUrl: string;
  smsUrl: string;
  dynamoEndpoint: string;
  tableName: string;
  dataDir: string;
  startedMs: number;
  logs: string[];
  child: ChildProcess;
  stop(): Promise<number | null>;
  /** SIGKILL the whole process tree (runtime, DynamoDB Local, SES): a crash, no cleanup. */
  crash(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export async function startRuntimeProcess(
  env: Record<string, string> = {},
  dataDir?: string,
): Promise<RuntimeProcess> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'onestop-e2e-'));
  const port = await freePort();
  const logs: string[] = [];
  rmSync(join(dir, 'runtime.json'), { force: true }); // a previous run's file (restart tests)
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      PORT: String(port),
      ONESTOP_DATA_DIR: dir,
      SWEEP_INTERVAL_MS: '500',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (b: Buffer) => logs.push(b.toString()));
  child.stderr?.on('data', (b: Buffer) => logs.push(b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const info = join(dir, 'runtime.json');
  const deadline = Date.now() + 90_000;
  while (!existsSync(info)) {
    if (child.exitCode !== null) throw new Error(`runtime exited early:\n${logs.join('')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`runtime did not start in time:\n${logs.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const meta = JSON.parse(readFileSync(info, 'utf8')) as {
    url: string;
    mailUrl: string;
    smsUrl: string;
    dynamoEndpoint: string;
    tableName: string;
    startedMs: number;
  };
  return {
    ...meta,
    dataDir: dir,
    logs,
    child,
    async crash() {
      if (child.exitCode !== null || child.pid === undefined) return;
      process.kill(-child.pid, 'SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 45_000); // generous: a loaded CI machine stops slowly
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** A small HTTP client for the API with demo tokens. */
export class ApiClient {
  constructor(
    readonly base: string,
    readonly token?: string,
  ) {}

  static async as(base: string, claims: Record<string, string>) {
    const res = await fetch(`${base}/local/token`, { method: 'POST', body: JSON.stringify(claims) });
    if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
    return new ApiClient(base, ((await res.json()) as { token: string }).token);
  }

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, body: json, headers: res.headers };
  }
}
