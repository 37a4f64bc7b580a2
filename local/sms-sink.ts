/**
 * The local SMS sink (DESIGN §5): what AWS End User Messaging SMS is in AWS, on 127.0.0.1 inside
 * the runtime's process. Nothing leaves the machine. The notifier's local adapter
 * (functions/adapters/sms/sink.ts) posts each text here; texts are appended to a JSON-lines file
 * under the data folder, so, unlike the local SES, the viewer keeps them across restarts (and a
 * crash test can count each message exactly once across runs).
 *
 * Routes at `url` (http://127.0.0.1:<port>), shaped like the mail viewer's:
 *   GET  /                the viewer page (zh-CN and English), newest first, refreshes itself
 *   GET  /store           JSON `{ messages: SentSms[] }`, oldest first
 *   GET  /store?since=<epoch seconds>   only texts with at >= since
 *   POST /messages        `{ to, text }` → 201 `{ messageId }` (the adapter's "send")
 *   POST /clear-store     forget all texts
 *   GET  /health-check    200, empty body
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { ulid } from 'ulid';

export interface SentSms {
  messageId: string;
  to: string;
  text: string;
  /** when it was received, ISO 8601 */
  at: string;
}

export interface SmsSink {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const MAX_BODY = 16 * 1024;

export async function startSmsSink(opts: {
  /** the JSON-lines file texts are kept in (created if missing) */
  file: string;
  port?: number;
  log?: (line: string) => void;
}): Promise<SmsSink> {
  mkdirSync(dirname(opts.file), { recursive: true });
  const messages: SentSms[] = existsSync(opts.file)
    ? readFileSync(opts.file, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as SentSms];
          } catch {
            return []; // a line half-written by a crash
          }
        })
    : [];

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { error: 'internal' }));
  });
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/health-check') return send(res, 200, '');
    if (req.method === 'GET' && url.pathname === '/store') {
      const since = Number(url.searchParams.get('since') ?? 0) * 1000;
      return send(res, 200, { messages: messages.filter((m) => Date.parse(m.at) >= since) });
    }
    if (req.method === 'POST' && url.pathname === '/clear-store') {
      messages.length = 0;
      writeFileSync(opts.file, '');
      return send(res, 200, {});
    }
    if (req.method === 'POST' && url.pathname === '/messages') {
      const body = await readBody(req);
      let parsed: { to?: unknown; text?: unknown };
      try {
        parsed = JSON.parse(body ?? '') as typeof parsed;
      } catch {
        return send(res, 400, { error: 'JSON body { to, text } expected' });
      }
      if (typeof parsed.to !== 'string' || !/^\+?\d{6,15}$/.test(parsed.to)) {
        return send(res, 400, { error: '`to` must be a phone number' });
      }
      if (typeof parsed.text !== 'string' || parsed.text.length === 0 || parsed.text.length > 1600) {
        return send(res, 400, { error: '`text` must be 1–1600 characters' });
      }
      const sms: SentSms = {
        messageId: ulid(),
        to: parsed.to,
        text: parsed.text,
        at: new Date().toISOString(),
      };
      appendFileSync(opts.file, `${JSON.stringify(sms)}\n`);
      messages.push(sms);
      return send(res, 201, { messageId: sms.messageId });
    }
    if (req.method === 'GET' && url.pathname === '/') return page(res, messages);
    return send(res, 404, { error: 'not found' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  opts.log?.(`[sms] SMS sink listening on ${url} (viewer: ${url}/)`);
  return {
    url,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'cache-control': 'no-store',
  });
  res.end(text);
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function page(res: ServerResponse, messages: SentSms[]) {
  const rows = [...messages]
    .reverse()
    .map(
      (m) =>
        `<li><p class="meta"><span>${escapeHtml(m.at.replace('T', ' ').slice(0, 19))} UTC</span> · <span lang="en">to</span> 收件号码 <strong>${escapeHtml(m.to)}</strong></p><p>${escapeHtml(m.text)}</p></li>`,
    )
    .join('\n');
  const html = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5">
<title>本地短信查看 · Local SMS viewer</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:48rem;padding:0 1rem;color:#1a1a1a}
ul{list-style:none;padding:0}li{border:1px solid #ccc;border-radius:6px;padding:.5rem 1rem;margin:.5rem 0}
.meta{color:#444;font-size:.9rem}
</style>
</head>
<body>
<main>
<h1>本地短信查看 <span lang="en">Local SMS viewer</span></h1>
<p>此处显示本地运行时“发送”的短信，不会发出到任何手机。<span lang="en">Texts the local runtime "sent"; none leaves this machine.</span>
共 ${messages.length} 条 <span lang="en">(${messages.length} messages)</span> · <a href="/store">JSON</a></p>
${messages.length ? `<ul>${rows}</ul>` : '<p>暂无短信。<span lang="en">No messages yet.</span></p>'}
</main>
</body>
</html>`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

/** Every text the sink holds, oldest first. */
export async function listSentSms(url: string): Promise<SentSms[]> {
  const res = await fetch(new URL('/store', url));
  if (!res.ok) throw new Error(`GET ${url}/store: HTTP ${res.status}`);
  return ((await res.json()) as { messages: SentSms[] }).messages;
}

/** Forgets every stored text. */
export async function clearSentSms(url: string): Promise<void> {
  const res = await fetch(new URL('/clear-store', url), { method: 'POST' });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`POST ${url}/clear-store: HTTP ${res.status}`);
}
