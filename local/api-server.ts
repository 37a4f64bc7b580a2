/**
 * The local API Gateway: a Node HTTP server that turns each request into an API Gateway HTTP API
 * v2 event (payload format 2.0) for the very handler modules that deploy to Lambda. Like the JWT
 * authorizer it rejects missing, forged, expired or future-dated tokens with 401 before any
 * handler runs (the dev IdP's, and those of the OIDC issuers given by configuration) and passes verified claims on in `requestContext.authorizer.jwt.claims`. It also
 * serves `POST /local/token` (dev IdP, never deployed) and the built console from the same origin.
 * It answers only loopback Host headers (no DNS rebinding onto the dev IdP) and refuses a path
 * that is not valid percent-encoding with 400, as API Gateway does.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { I18nText } from '../functions/core/i18n.ts';
import { type HandlerName, handlerEntry, type RouteSpec, routes } from '../functions/http/routes.ts';
import { languageOf } from '../functions/shared/http.ts';
import { type DevIdp, demoUsers, tokenRequest } from './dev-idp.ts';
import type { OidcVerifier } from './oidc-issuers.ts';

/** API Gateway's own payload limit; our chain enforces its smaller limit with a field-level 413. */
const GATEWAY_MAX_BYTES = 10 * 1024 * 1024;

type LambdaHandler = (event: unknown, context: Context) => Promise<APIGatewayProxyResultV2>;

interface CompiledRoute {
  spec: RouteSpec;
  pattern: RegExp;
  names: string[];
}

function compile(spec: RouteSpec): CompiledRoute {
  const names: string[] = [];
  const source = spec.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { spec, pattern: new RegExp(`^${source}$`), names };
}

export interface ApiServerOptions {
  port: number;
  idp: DevIdp;
  /**
   * Tokens of OIDC providers given by configuration (OIDC_ISSUERS), verified as the cn stage's
   * JWT authorizers verify them (local/oidc-issuers.ts); the dev IdP's tokens stay accepted.
   */
  oidc?: OidcVerifier | undefined;
  /** web/dist, when built */
  staticDir?: string;
  /** token endpoint rate limit per client address (per minute) */
  tokenRateLimit?: number;
  log?: (line: string) => void;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export async function startApiServer(
  opts: ApiServerOptions,
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const compiled = routes.map(compile);
  const modules = new Map<HandlerName, Promise<LambdaHandler>>();
  const load = (name: HandlerName) => {
    let mod = modules.get(name);
    if (!mod) {
      mod = import(/* @vite-ignore */ `../${handlerEntry.http(name)}`).then(
        (m: { handler: LambdaHandler }) => m.handler,
      );
      modules.set(name, mod);
    }
    return mod;
  };
  const tokenHits = new Map<string, number[]>();

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      opts.log?.(`[api] internal error: ${err.message}`);
      if (!res.headersSent) send(res, 500, { error: { code: 'INTERNAL', message: 'Internal error' } });
    });
  });
  let listeningPort = opts.port;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const fail = (status: number, code: string, text: I18nText, headers: Record<string, string> = {}) =>
      sendError(
        res,
        status,
        code,
        text,
        languageOf({ 'accept-language': req.headers['accept-language'] }),
        headers,
      );
    if (!isLoopbackHost(req.headers.host, listeningPort)) {
      return fail(421, 'MISDIRECTED_REQUEST', {
        'zh-CN': '仅接受本机地址（127.0.0.1、localhost、[::1]）的请求',
        en: 'Only requests addressed to this machine (127.0.0.1, localhost, [::1]) are answered',
      });
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    if (safeDecode(url.pathname) === null) {
      return fail(400, 'INVALID_PATH', {
        'zh-CN': '请求路径的百分号编码无效',
        en: 'The request path is not valid percent-encoding',
      });
    }
    if (method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': req.headers.origin ?? '*',
        'access-control-allow-methods': 'GET,POST,PUT,DELETE,OPTIONS',
        'access-control-allow-headers': 'authorization,content-type,idempotency-key,accept-language',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    if (method === 'POST' && url.pathname === '/local/token') return issueToken(req, res);
    // the demo users the console offers at sign-in (the kernel's and every module's)
    if (method === 'GET' && url.pathname === '/local/users') return send(res, 200, { items: demoUsers });

    for (const r of compiled) {
      const m = r.pattern.exec(url.pathname);
      if (!m) continue;
      if (r.spec.method !== method) continue;
      const pathParameters = Object.fromEntries(r.names.map((n, i) => [n, safeDecode(m[i + 1] ?? '') ?? '']));
      return invoke(r.spec, pathParameters, url, method, req, res);
    }
    if (compiled.some((r) => r.pattern.test(url.pathname))) {
      return send(res, 405, { message: 'Method Not Allowed' });
    }
    if (method === 'GET') return serveStatic(url.pathname, req, res);
    return send(res, 404, { message: 'Not Found' });
  }

  async function issueToken(req: IncomingMessage, res: ServerResponse) {
    const limit = opts.tokenRateLimit ?? 120;
    const key = req.socket.remoteAddress ?? 'local';
    const now = Date.now();
    const hits = (tokenHits.get(key) ?? []).filter((t) => now - t < 60_000);
    if (hits.length >= limit) {
      // the window slides: a slot frees when the oldest counted request is a minute old
      const retryAfter = Math.max(1, Math.ceil(((hits[0] ?? now) + 60_000 - now) / 1000));
      return send(
        res,
        429,
        { error: { code: 'RATE_LIMITED', message: '请求过于频繁 / Too many token requests' } },
        { 'retry-after': String(retryAfter) },
      );
    }
    hits.push(now);
    tokenHits.set(key, hits);
    const raw = await readBody(req, 16 * 1024);
    if (raw === null)
      return send(res, 413, { error: { code: 'PAYLOAD_TOO_LARGE', message: 'Body too large' } });
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8') || '{}');
    } catch {
      return send(res, 400, {
        error: { code: 'INVALID_JSON', message: '请求体不是有效的 JSON / Request body is not valid JSON' },
      });
    }
    const parsed = tokenRequest.safeParse(body);
    if (!parsed.success) {
      return send(res, 400, {
        error: {
          code: 'VALIDATION_FAILED',
          message: '输入有误 / Invalid input',
          fields: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
      });
    }
    if (parsed.data.role === 'caseworker' && !parsed.data.agency) {
      return send(res, 400, {
        error: {
          code: 'VALIDATION_FAILED',
          message: '工作人员必须指定部门 / A caseworker needs an agency',
          fields: [{ path: 'agency', message: 'Required' }],
        },
      });
    }
    const { expiresIn, ...claims } = parsed.data;
    const exp = expiresIn === undefined ? undefined : Math.floor(Date.now() / 1000) + expiresIn;
    send(res, 200, { token: await opts.idp.sign(claims, exp) });
  }

  async function invoke(
    spec: RouteSpec,
    pathParameters: Record<string, string>,
    url: URL,
    method: string,
    req: IncomingMessage,
    res: ServerResponse,
  ) {
    let claims: Record<string, unknown> | undefined;
    if (spec.auth) {
      const header = req.headers.authorization ?? '';
      const token = /^Bearer (.+)$/i.exec(header)?.[1];
      if (!token) return send(res, 401, { message: 'Unauthorized' });
      try {
        claims = opts.oidc?.names(token) ? await opts.oidc.verify(token) : await opts.idp.verify(token);
      } catch {
        return send(res, 401, { message: 'Unauthorized' });
      }
    }
    const raw = await readBody(req, GATEWAY_MAX_BYTES);
    if (raw === null) return send(res, 413, { message: 'Request Entity Too Large' });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
    const requestId = randomUUID();
    const now = new Date();
    const routeKey = `${spec.method} ${spec.path}`;
    const event = {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
      ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
      ...(raw.length ? { body: raw.toString('utf8'), isBase64Encoded: false } : { isBase64Encoded: false }),
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        domainName: headers.host ?? '127.0.0.1',
        domainPrefix: 'local',
        http: {
          method,
          path: url.pathname,
          protocol: 'HTTP/1.1',
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId,
        routeKey,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
        ...(claims ? { authorizer: { jwt: { claims: stringifyClaims(claims), scopes: [] } } } : {}),
      },
    };
    const context = lambdaContext(spec.handler, requestId);
    const handler = await load(spec.handler);
    const result = await handler(event, context);
    const structured: APIGatewayProxyStructuredResultV2 =
      typeof result === 'string'
        ? { statusCode: 200, body: result }
        : (result as APIGatewayProxyStructuredResultV2);
    // Like API Gateway: a header without a value is not sent (never as the text "undefined").
    const outHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(structured.headers ?? {}))
      if (v !== undefined && v !== null && String(v) !== '') outHeaders[k] = String(v);
    res.writeHead(structured.statusCode ?? 200, outHeaders);
    res.end(
      structured.isBase64Encoded ? Buffer.from(structured.body ?? '', 'base64') : (structured.body ?? ''),
    );
  }

  /** Compressed hashed files, by path (a hashed file's content never changes under its name). */
  const gzipped = new Map<string, Buffer>();

  /**
   * The console as CloudFront serves it (lib/constructs/console-site.ts): the hashed build files
   * cached for a year, the entry points revalidated, text gzip-compressed for a client that asks.
   */
  function serveStatic(pathname: string, req: IncomingMessage, res: ServerResponse) {
    const dir = opts.staticDir;
    if (!dir || !existsSync(join(dir, 'index.html'))) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>Onestop</title><h1>Onestop 一网通办</h1><p>控制台尚未构建 / The console is not built yet: <code>npm run build:web</code>.</p><p><a href="/openapi.json">API (OpenAPI)</a></p></html>',
      );
      return;
    }
    const safe = normalize(safeDecode(pathname) ?? '/').replace(/^(\.\.[/\\])+/, '');
    let file = join(dir, safe);
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory())
      file = join(dir, 'index.html');
    const type = MIME[extname(file)] ?? 'application/octet-stream';
    const hashed = file.startsWith(join(dir, 'assets/'));
    const compress =
      /^(text\/|application\/json|image\/svg)/.test(type) &&
      /\bgzip\b/.test(String(req.headers['accept-encoding']));
    let body: Buffer = readFileSync(file);
    if (compress) {
      body = gzipped.get(file) ?? gzipSync(body, { level: 9 });
      if (hashed) gzipped.set(file, body);
    }
    res.writeHead(200, {
      'content-type': type,
      'x-content-type-options': 'nosniff',
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      vary: 'accept-encoding',
      ...(compress ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  listeningPort = port;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** API Gateway passes JWT claims as strings, an array of strings as `[a b]`. */
function stringifyClaims(claims: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(claims))
    out[k] =
      typeof v === 'string'
        ? v
        : Array.isArray(v) && v.every((x) => typeof x === 'string')
          ? `[${v.join(' ')}]`
          : JSON.stringify(v);
  return out;
}

export function lambdaContext(functionName: string, requestId: string): Context {
  const deadline = Date.now() + 29_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** The standard error body (DESIGN §8) for what the gateway itself refuses. */
function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  text: I18nText,
  lang: 'zh-CN' | 'en',
  headers: Record<string, string> = {},
) {
  send(
    res,
    status,
    { error: { code, message: text[lang], messages: text, requestId: randomUUID() } },
    headers,
  );
}

/** decodeURIComponent, or null for malformed percent-encoding (which it throws on). */
function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/**
 * Only loopback names with our port: a page on another origin whose DNS name is rebound to
 * 127.0.0.1 sends its own name as Host and is refused.
 */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host.toLowerCase());
}
