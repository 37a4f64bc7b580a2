/**
 * Local S3 for document uploads (DESIGN §5): `s3rver` as a child process on 127.0.0.1, storing
 * objects as files under `dir` (kept across restarts), for presigned PUT/GET.
 *
 * What s3rver 3.7.1 checks and what it does not, so tests do not over-trust it:
 * - The access key must be `S3RVER` (secret `S3RVER`); any other key gets 403 InvalidAccessKeyId.
 * - SigV4 signatures are NOT verified (a tampered X-Amz-Signature still passes); presigned URL
 *   expiry IS enforced (403 after X-Amz-Expires). Requests with no signature at all are served.
 * - Path-style URLs only here: clients need `forcePathStyle: true`.
 * - For presigned PUTs, create the S3Client with `requestChecksumCalculation: 'WHEN_REQUIRED'`:
 *   otherwise SDK v3 signs `x-amz-checksum-crc32` of an EMPTY body into the URL, which s3rver
 *   ignores but real S3 rejects when a browser uploads the real file.
 * - Browsers uploading from another origin need CORS on the bucket: `corsOrigins` sets it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { type ExitStatus, startChildService } from './child-service.ts';

export interface S3LocalOptions {
  /** 0 or undefined: the OS picks a free port (s3rver binds port 0 and reports it) */
  port?: number;
  /** where buckets and objects live (created if needed); kept across restarts */
  dir: string;
  /** buckets created at start if missing */
  buckets?: string[];
  /** origins allowed to GET/PUT/HEAD those buckets from a browser; default none (no CORS) */
  corsOrigins?: string[];
  log?: (line: string) => void;
  startTimeoutMs?: number;
}

export interface S3Local {
  endpoint: string;
  port: number;
  /** the child's process id (for diagnostics and tests) */
  pid: number;
  /** settles when the process has ended */
  exited: Promise<ExitStatus>;
  /** the only key pair s3rver accepts */
  credentials: { accessKeyId: string; secretAccessKey: string };
  stop(): Promise<void>;
}

// The child exits when its stdin closes, i.e. when our process dies, however it dies.
const EXIT_WITH_PARENT =
  "data:text/javascript,process.stdin.on('end',()=>process.exit(0));process.stdin.on('data',()=>{})";

export async function startS3Local(opts: S3LocalOptions): Promise<S3Local> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const dir = resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const pkg = createRequire(import.meta.url).resolve('s3rver/package.json');
  const cli = join(dirname(pkg), 'bin', 's3rver.js');

  const bucketArgs: string[] = [];
  const configs: string[] = [];
  if (opts.corsOrigins?.length) {
    // A file, not a folder, in the data dir: s3rver lists only folders as buckets.
    const corsFile = join(dir, '.cors.xml');
    writeFileSync(corsFile, corsXml(opts.corsOrigins));
    configs.push(corsFile);
  }
  for (const name of opts.buckets ?? []) bucketArgs.push('--configure-bucket', name, ...configs);

  const svc = await startChildService({
    name: 's3',
    title: 'local S3 (s3rver)',
    command: process.execPath,
    args: [
      '--import',
      EXIT_WITH_PARENT,
      cli,
      '--directory',
      dir,
      '--address',
      '127.0.0.1',
      '--port',
      String(opts.port ?? 0),
      '--silent',
      '--no-vhost-buckets', // path-style only: no bucket names guessed from Host headers
      ...bucketArgs,
    ],
    readyLine: /^S3rver listening on 127\.0\.0\.1:(\d+)\s*$/,
    timeoutMs: opts.startTimeoutMs ?? 20_000,
    log,
  });
  const endpoint = `http://127.0.0.1:${svc.port}`;
  await svc.waitUntil(async () => {
    try {
      // Unsigned ListBuckets: any HTTP answer means the server handles requests.
      const res = await fetch(endpoint, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      return res.status < 500;
    } catch {
      return false;
    }
  }, `${endpoint} to answer`);
  log(`[s3] listening on ${endpoint} (${dir}), up in ${Date.now() - started} ms`);
  return {
    endpoint,
    port: svc.port,
    pid: svc.pid,
    exited: svc.exited,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    stop: svc.stop,
  };
}

function corsXml(origins: string[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return [
    '<CORSConfiguration>',
    '  <CORSRule>',
    ...origins.map((o) => `    <AllowedOrigin>${esc(o)}</AllowedOrigin>`),
    '    <AllowedMethod>GET</AllowedMethod>',
    '    <AllowedMethod>PUT</AllowedMethod>',
    '    <AllowedMethod>HEAD</AllowedMethod>',
    '    <AllowedHeader>*</AllowedHeader>',
    '    <ExposeHeader>ETag</ExposeHeader>',
    '    <MaxAgeSeconds>600</MaxAgeSeconds>',
    '  </CORSRule>',
    '</CORSConfiguration>',
    '',
  ].join('\n');
}
