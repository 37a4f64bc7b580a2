/**
 * Local SES (DESIGN §5): `aws-ses-v2-local` as a child process on 127.0.0.1, and a reader for the
 * mails it stored. Nothing leaves the machine: mails are only kept in the child's memory (lost on
 * stop) and shown by its web viewer.
 *
 * What aws-ses-v2-local 2.10.2 serves at `endpoint` (http://127.0.0.1:<port>):
 *   GET  /                the web mail viewer (live inbox, HTML/text, attachments, .eml download)
 *   GET  /store           JSON `{ templates: Record<string, Template>, emails: Email[] }`, where
 *                         Email = { messageId: string; from: string; replyTo: string[];
 *                           destination: { to: string[]; cc: string[]; bcc: string[] };
 *                           subject: string; body: { text?: string; html?: string };
 *                           attachments: { content; contentType; filename?; size }[];
 *                           headers?: { name; value }[]; at: number }, `at` in epoch SECONDS
 *   GET  /store?since=<epoch seconds>   only mails with at >= since
 *   POST /clear-store     forget all mails and templates
 *   GET  /health-check    200, empty body
 *   POST /                SES v1 API (SendEmail, SendRawEmail); /v2/email/… SES v2 API
 * The SES API routes want some `Authorization: AWS…` header (any dummy credentials do); the
 * routes above do not.
 * Caveat: its v1 SendEmail keeps only the FIRST address of each of To/Cc/Bcc/ReplyTo (its schema
 * lists `member.1` only); SES v2 SendEmail and SendRawEmail keep them all.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type ExitStatus, startChildService } from './child-service.ts';

export interface SesLocal {
  /** SES API endpoint, also the web viewer's URL */
  endpoint: string;
  port: number;
  /** the child's process id (for diagnostics and tests) */
  pid: number;
  /** settles when the process has ended */
  exited: Promise<ExitStatus>;
  stop(): Promise<void>;
}

export interface SentMail {
  messageId: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text?: string;
  html?: string;
  /** when it was sent, ISO 8601 (the store keeps whole seconds) */
  at: string;
}

// The child exits when its stdin closes, i.e. when our process dies, however it dies.
const EXIT_WITH_PARENT =
  "data:text/javascript,process.stdin.on('end',()=>process.exit(0));process.stdin.on('data',()=>{})";

export async function startSesLocal(
  opts: { port?: number; log?: (line: string) => void; startTimeoutMs?: number } = {},
): Promise<SesLocal> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const pkg = createRequire(import.meta.url).resolve('aws-ses-v2-local/package.json');
  const cli = join(dirname(pkg), 'dist', 'cli.js');
  // SMTP_TRANSPORT would make it forward every mail to a real SMTP server.
  const { SMTP_TRANSPORT: _ignored, ...env } = process.env;
  const svc = await startChildService({
    name: 'ses',
    title: 'local SES (aws-ses-v2-local)',
    command: process.execPath,
    args: ['--import', EXIT_WITH_PARENT, cli, '--host', '127.0.0.1', '--port', String(opts.port ?? 0)],
    env,
    // It prints `http://localhost:<port>` for 127.0.0.1 (see its dist/address.js).
    readyLine: /^aws-ses-v2-local: server running at \S+:(\d+)\s*$/,
    timeoutMs: opts.startTimeoutMs ?? 20_000,
    log,
  });
  const endpoint = `http://127.0.0.1:${svc.port}`;
  await svc.waitUntil(async () => {
    try {
      const res = await fetch(`${endpoint}/health-check`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      return res.ok;
    } catch {
      return false;
    }
  }, `${endpoint}/health-check`);
  log(`[ses] listening on ${endpoint} (mail viewer: ${endpoint}/), up in ${Date.now() - started} ms`);
  return { endpoint, port: svc.port, pid: svc.pid, exited: svc.exited, stop: svc.stop };
}

interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to?: string[]; cc?: string[]; bcc?: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

/** Every mail the local SES has accepted since it started (or since clearSentMail), oldest first. */
export async function listSentMail(endpoint: string): Promise<SentMail[]> {
  const res = await fetch(new URL('/store', endpoint));
  if (!res.ok) throw new Error(`GET ${endpoint}/store: HTTP ${res.status}`);
  const { emails } = (await res.json()) as { emails: StoredEmail[] };
  return emails.map((e) => ({
    messageId: e.messageId,
    from: e.from,
    to: e.destination.to ?? [],
    cc: e.destination.cc ?? [],
    bcc: e.destination.bcc ?? [],
    subject: e.subject,
    ...(e.body.text === undefined ? {} : { text: e.body.text }),
    ...(e.body.html === undefined ? {} : { html: e.body.html }),
    at: new Date(e.at * 1000).toISOString(),
  }));
}

/** Forgets every stored mail (and template). */
export async function clearSentMail(endpoint: string): Promise<void> {
  const res = await fetch(new URL('/clear-store', endpoint), { method: 'POST' });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`POST ${endpoint}/clear-store: HTTP ${res.status}`);
}
