/**
 * Supervision of the local runtime's server processes (DynamoDB Local, SES, S3): spawn, wait for
 * the line that reports the listening port, stop in order, and never outlive the parent.
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

export interface ChildService {
  port: number;
  pid: number;
  child: ChildProcess;
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
  const exited = new Promise<void>((res) => {
    child.once('exit', () => res());
    child.once('error', () => res()); // e.g. ENOENT: there will be no 'exit'
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
