/**
 * Supervision of the local runtime's server processes (DynamoDB Local, SES, S3): spawn, wait for
 * the line that reports the listening port, stop in order, never outlive the parent, and — like a
 * process manager — restart one that dies, on the same port, with backoff (`supervise`).
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface ChildServiceOptions {
  /** log prefix, e.g. `dynamodb` gives `[dynamodb] …` */
  name: string;
  /** for error messages, e.g. `DynamoDB Local` */
  title: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** a line of the child's stdout/stderr that says it listens; capture group 1 is the port */
  readyLine: RegExp;
  timeoutMs: number;
  log: (line: string) => void;
}

/** How a child process ended: its exit code, or the signal that killed it. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildService {
  port: number;
  pid: number;
  child: ChildProcess;
  /** settles when the process has ended, whatever ended it */
  exited: Promise<ExitStatus>;
  /** polls `check` every 100 ms until it is true; stops the child and throws past the deadline */
  waitUntil(check: () => Promise<boolean>, what: string): Promise<void>;
  /** SIGTERM, then SIGKILL after 3 s; resolves once the process has exited */
  stop(): Promise<void>;
}

/**
 * Spawns a server process and resolves with the port it reports. The child is detached, so a
 * Ctrl-C in the terminal reaches only our process, which then stops everything in order (stream
 * pollers before the database). Its stdin stays a pipe that the child watches: when our process
 * dies, however it dies (even SIGKILL), the pipe closes and the child exits. A process 'exit'
 * handler sends SIGTERM as a second line of defence.
 */
export async function startChildService(o: ChildServiceOptions): Promise<ChildService> {
  const started = Date.now();
  const deadline = started + o.timeoutMs;
  const child = spawn(o.command, o.args, {
    cwd: o.cwd,
    env: o.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<ExitStatus>((res) => {
    child.once('exit', (code, signal) => res({ code, signal }));
    child.once('error', () => res({ code: null, signal: null })); // e.g. ENOENT: there will be no 'exit'
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null || child.pid === undefined;
  const onParentExit = () => {
    if (!gone()) child.kill('SIGTERM');
  };
  process.on('exit', onParentExit);
  void exited.then(() => process.off('exit', onParentExit));

  const recent: string[] = [];
  let portSeen: (p: number) => void = () => {};
  const portPromise = new Promise<number>((res) => {
    portSeen = res;
  });
  const onLine = (line: string) => {
    const m = o.readyLine.exec(line);
    if (m?.[1]) portSeen(Number(m[1]));
    if (line.trim() === '') return;
    recent.push(line);
    if (recent.length > 20) recent.shift();
    o.log(`[${o.name}] ${line}`);
  };
  lines(child, 'stdout', onLine);
  lines(child, 'stderr', onLine);
  child.once('error', (err) => onLine(`could not run ${o.command}: ${err.message}`));

  const stop = async () => {
    if (!gone()) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    }
    child.stdin?.destroy();
  };
  const fail = async (why: string): Promise<never> => {
    await stop();
    const tail = recent.length ? `\nlast output:\n${recent.join('\n')}` : '';
    throw new Error(`${o.title} did not start: ${why}${tail}`);
  };

  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    portPromise,
    exited.then(() => 'exited' as const),
    new Promise<'timeout'>((res) => {
      timer = setTimeout(() => res('timeout'), o.timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (outcome === 'exited')
    return fail(`the process exited (${child.exitCode ?? child.signalCode ?? 'error'})`);
  if (outcome === 'timeout') return fail(`it did not report a listening port within ${o.timeoutMs} ms`);
  const port = outcome;

  return {
    port,
    pid: child.pid ?? -1,
    child,
    exited,
    stop,
    async waitUntil(check, what) {
      for (;;) {
        if (await check()) return;
        if (gone()) return fail(`the process exited while waiting for ${what}`);
        if (Date.now() > deadline) return fail(`timed out after ${o.timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/** What `supervise` needs of a started service. */
export interface Supervisable {
  pid: number;
  exited: Promise<ExitStatus>;
  stop(): Promise<void>;
}

export interface SupervisorOptions<T extends Supervisable> {
  /** for log lines, e.g. `DynamoDB Local` */
  title: string;
  /** starts the service again (on the same port, so clients' endpoints stay valid) */
  restart: () => Promise<T>;
  log: (line: string) => void;
  /** first delay before a restart; doubled after each restart up to `maxDelayMs` (500 ms) */
  initialDelayMs?: number;
  /** longest delay between restarts (30 s) */
  maxDelayMs?: number;
  /** a run at least this long resets the delay to `initialDelayMs` (60 s) */
  stableMs?: number;
  /** told about each process that replaces a dead one */
  onRestart?: (service: T) => void;
}

export interface Supervisor<T> {
  current(): T;
  /** how many times the service was restarted */
  restarts(): number;
  /** stops supervising (no more restarts) and stops the current process */
  stop(): Promise<void>;
}

/**
 * Watches a started service and restarts it when its process ends without `stop()` (killed,
 * crashed): a line says which process died and how, and another when its successor answers.
 * Restarts back off exponentially; a failed restart is retried after the next delay.
 */
export function supervise<T extends Supervisable>(first: T, o: SupervisorOptions<T>): Supervisor<T> {
  const initial = o.initialDelayMs ?? 500;
  const max = o.maxDelayMs ?? 30_000;
  const stableMs = o.stableMs ?? 60_000;
  let current = first;
  let startedAt = Date.now();
  let delay = initial;
  let restarts = 0;
  let stopping = false;
  let restarting: Promise<void> = Promise.resolve();
  let wake: () => void = () => {};

  const pause = (ms: number) =>
    new Promise<void>((res) => {
      const timer = setTimeout(res, ms);
      wake = () => {
        clearTimeout(timer);
        res();
      };
    });

  const onExit = async (dead: T, status: ExitStatus) => {
    if (stopping || dead !== current) return;
    if (Date.now() - startedAt >= stableMs) delay = initial;
    const how = status.signal ? `killed by ${status.signal}` : `exited with code ${status.code}`;
    o.log(`[supervisor] ${o.title} (pid ${dead.pid}) ${how}; restarting in ${delay} ms`);
    for (;;) {
      await pause(delay);
      if (stopping) return;
      delay = Math.min(delay * 2, max);
      try {
        const next = await o.restart();
        if (stopping) {
          await next.stop();
          return;
        }
        current = next;
        startedAt = Date.now();
        restarts++;
        o.log(`[supervisor] ${o.title} restarted (pid ${next.pid}, restart ${restarts})`);
        watch(next);
        o.onRestart?.(next);
        return;
      } catch (err) {
        o.log(
          `[supervisor] ${o.title} could not be restarted: ${(err as Error).message}; next try in ${delay} ms`,
        );
      }
    }
  };
  const watch = (svc: T) => {
    void svc.exited.then((status) => {
      restarting = onExit(svc, status);
    });
  };
  watch(first);

  return {
    current: () => current,
    restarts: () => restarts,
    async stop() {
      stopping = true;
      wake();
      await restarting;
      await current.stop();
    },
  };
}

/** Splits a child's output stream into lines. */
function lines(child: ChildProcess, stream: 'stdout' | 'stderr', onLine: (line: string) => void) {
  let buf = '';
  const s = child[stream];
  if (!s) return;
  s.setEncoding('utf8');
  s.on('data', (chunk: string) => {
    buf += chunk;
    let i = buf.indexOf('\n');
    while (i >= 0) {
      onLine(buf.slice(0, i).replace(/\r$/, ''));
      buf = buf.slice(i + 1);
      i = buf.indexOf('\n');
    }
  });
  s.on('end', () => {
    if (buf) onLine(buf);
    buf = '';
  });
}
