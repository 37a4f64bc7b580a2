/**
 * The one middy chain every HTTP handler module uses. A module declares its routes (by API
 * Gateway route key) with zod schemas; the chain selects the route, limits and parses the body,
 * turns JWT claims into an actor, validates (body, query, path, headers), answers a replay from
 * its record, counts the rate limit, calls the route's one core function, and maps every error
 * through one table. Handlers contain no try/catch and build no 400s themselves.
 */
import middy, { type MiddlewareObj } from '@middy/core';
import httpCors from '@middy/http-cors';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import type { RateLimiter } from '#adapters/dynamodb/rate-limiter';
import type { Actor, Role } from '#core/engine/types';
import {
  BadRequestError,
  ForbiddenError,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
} from '#core/errors';
import { toFieldErrors } from '#core/forms/zod-errors';
import { type Lang, messages, t } from '#core/i18n';
import { optionalEnv } from './env.ts';
import { errorResponse } from './error-mapper.ts';
import { logger } from './logger.ts';

export const MAX_BODY_BYTES = 64 * 1024;

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

export interface Request<B = unknown, Q = unknown, P = unknown, H = Record<string, string | undefined>> {
  actor: Actor;
  body: B;
  query: Q;
  params: P;
  /** every header (lower-case names), those the route's `headers` schema names parsed by it */
  headers: H & Record<string, string | undefined>;
  lang: Lang;
  requestId: string;
  /** the client's address as the gateway saw it (per-IP limits of public routes) */
  sourceIp: string;
}

export interface Reply<R = unknown> {
  status?: number;
  body?: R;
  headers?: Record<string, string>;
  /** raw string body with its content type, e.g. CSV */
  raw?: { contentType: string; text: string };
}

export interface Route<B = unknown, Q = unknown, P = unknown, R = unknown, H = unknown> {
  /** one line for the API documentation (required for a service module's routes) */
  summary?: string;
  auth?: boolean;
  roles?: Role[];
  /** per-user fixed-window limit, counted in the store (429 with Retry-After beyond it) */
  rateLimit?: { scope: string; limit: number; windowSeconds: number };
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  /** headers the route reads, validated like the body (field paths `header.<name>`) */
  headers?: z.ZodType<H>;
  /**
   * The success body (JSON replies; a CSV reply is `raw`). It types `run`'s reply, is published in
   * the OpenAPI document, and is checked against every reply when ONESTOP_CHECK_RESPONSES=1 (tests).
   */
  response?: z.ZodType<R>;
  /** statuses the route answers with on success (documented); default [200], or [204] without `response` */
  successStatus?: Array<200 | 201 | 204 | 302>;
  /**
   * The recorded answer to a repeated request (an idempotent replay), or null. Asked after
   * validation and before the rate limit counts: a client retrying a lost answer is not refused.
   */
  replay?: (req: Request<B, Q, P, H>) => Promise<Reply<NoInfer<R>> | null>;
  run: (req: Request<B, Q, P, H>) => Promise<Reply<NoInfer<R>>>;
}

/** Identity helper that lets TypeScript infer a route's types from its schemas (reply: from `response`). */
export function route<B = undefined, Q = undefined, P = undefined, R = unknown, H = unknown>(
  r: Route<B, Q, P, R, H>,
): Route<B, Q, P, R, H> {
  return r;
}

/** Replies are checked against their route's response schema (set in tests, never in production). */
const CHECK_RESPONSES = optionalEnv('ONESTOP_CHECK_RESPONSES') === '1';

/** Thrown (a 500) when a reply does not match its schema: the API broke its contract. */
export class ResponseContractError extends Error {
  override name = 'ResponseContractError';
}

export function checkReply(key: string, response: z.ZodType | undefined, reply: Reply): void {
  // error replies (4xx/5xx, e.g. /health's 503) have their own shape: the error body
  if (!response || reply.raw || reply.body === undefined || (reply.status ?? 200) >= 300) return;
  const parsed = response.safeParse(reply.body);
  if (parsed.success) return;
  // paths and codes only: a reply may hold personal data, which must not reach the log
  const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`).join('; ');
  throw new ResponseContractError(`${key} replied outside its response schema: ${where}`);
}

const ANONYMOUS: Actor = { sub: 'anonymous', role: 'parent' };

interface State {
  route?: Route;
  actor: Actor;
  body?: unknown;
  lang: Lang;
  requestId: string;
}

type Ctx = Context & { onestop: State };

export function languageOf(headers: Record<string, string | undefined>): Lang {
  const accept = headers['accept-language'] ?? '';
  return /^en\b/i.test(accept.trim()) ? 'en' : 'zh-CN';
}

/**
 * Claims → actor. Locally the dev IdP puts `role`, `agency`, `township` in the token. In AWS the
 * role follows from the Cognito pool that issued the token: citizens' pool → parent; staff pool →
 * the highest of `cognito:groups` (admin > auditor > caseworker > agent), with `custom:agency` and
 * `custom:township` from the ID token. API Gateway passes groups as a string like "[a b]".
 */
export function actorFromClaims(claims: Record<string, unknown>): Actor | null {
  const pick = (name: string) => {
    // an OIDC staff provider (China stage) names its claims: AGENCY_CLAIM, TOWNSHIP_CLAIM
    const named =
      name === 'agency' || name === 'township' ? optionalEnv(`${name.toUpperCase()}_CLAIM`) : undefined;
    const v = (named ? claims[named] : undefined) ?? claims[name] ?? claims[`custom:${name}`];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const sub = pick('sub');
  if (!sub) return null;
  // With Cognito configured the issuer decides: a self-service attribute can never grant a role.
  const cognito = optionalEnv('CITIZEN_ISSUER') || optionalEnv('STAFF_ISSUER');
  const role = cognito ? roleFromIssuer(claims) : pick('role');
  if (!role || !['parent', 'caseworker', 'auditor', 'admin', 'agent'].includes(role)) return null;
  return {
    sub,
    role: role as Role,
    agency: pick('agency'),
    township: pick('township'),
    name: pick('name'),
    email: pick('email'),
  };
}

const STAFF_ROLES: Role[] = ['admin', 'auditor', 'caseworker', 'agent'];

function roleFromIssuer(claims: Record<string, unknown>): Role | undefined {
  const iss = claims.iss;
  if (typeof iss !== 'string') return undefined;
  if (iss === optionalEnv('CITIZEN_ISSUER')) return 'parent';
  if (iss !== optionalEnv('STAFF_ISSUER')) return undefined;
  // Cognito's groups, or the claim an OIDC staff provider puts the roles in (STAFF_ROLE_CLAIM)
  const raw = claims[optionalEnv('STAFF_ROLE_CLAIM', 'cognito:groups')];
  const groups = Array.isArray(raw)
    ? raw.map(String)
    : typeof raw === 'string'
      ? raw.replace(/^\[|\]$/g, '').split(/[\s,]+/)
      : [];
  return STAFF_ROLES.find((r) => groups.includes(r));
}

const selectRoute = (
  routes: Record<string, Route<any, any, any, any>>,
): MiddlewareObj<HttpEvent, APIGatewayProxyResultV2> => ({
  before: (request) => {
    const ctx = request.context as Ctx;
    const headers = lowerCaseHeaders(request.event.headers);
    request.event.headers = headers;
    ctx.onestop = {
      actor: ANONYMOUS,
      lang: languageOf(headers),
      requestId: request.event.requestContext?.requestId ?? request.context.awsRequestId,
    };
    const selected = routes[request.event.routeKey];
    if (!selected) throw new BadRequestError('UNKNOWN_ROUTE', t('未知的接口', 'Unknown route'));
    ctx.onestop.route = selected;
  },
});

const parseBody = (): MiddlewareObj<HttpEvent, APIGatewayProxyResultV2> => ({
  before: (request) => {
    const ctx = request.context as Ctx;
    const { body, isBase64Encoded } = request.event;
    if (body === undefined || body === null || body === '') return;
    const text = isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
    if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
      throw new PayloadTooLargeError(
        t(
          `请求体过大（上限 ${MAX_BODY_BYTES / 1024} KB）`,
          `Request body is too large (limit ${MAX_BODY_BYTES / 1024} KB)`,
        ),
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new BadRequestError('INVALID_JSON', messages['json.invalid']);
    }
    // JSON.parse makes `__proto__` an own key, which zod records silently drop: refuse it outright.
    const polluted = protoKeyPath(parsed, '');
    if (polluted !== null) {
      throw new ValidationError([
        {
          path: polluted,
          code: 'forbidden_key',
          message: t('不允许使用字段名 __proto__', 'The field name __proto__ is not allowed'),
        },
      ]);
    }
    ctx.onestop.body = parsed;
  },
});

/** The dotted path of the first own `__proto__` key in a parsed JSON value, or null. */
function protoKeyPath(value: unknown, path: string, depth = 0): string | null {
  if (typeof value !== 'object' || value === null || depth > 64) return null;
  for (const key of Object.keys(value)) {
    const here = path ? `${path}.${key}` : key;
    if (key === '__proto__') return here;
    const found = protoKeyPath((value as Record<string, unknown>)[key], here, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

const authenticate = (): MiddlewareObj<HttpEvent, APIGatewayProxyResultV2> => ({
  before: (request) => {
    const ctx = request.context as Ctx;
    const route = ctx.onestop.route as Route;
    if (route.auth === false) return;
    const claims = request.event.requestContext?.authorizer?.jwt?.claims;
    const actor = claims ? actorFromClaims(claims as Record<string, unknown>) : null;
    if (!actor) throw new UnauthenticatedError();
    if (route.roles && !route.roles.includes(actor.role)) throw new ForbiddenError();
    ctx.onestop.actor = actor;
  },
});

async function limitRate(route: Route, actor: Actor, limiter?: () => RateLimiter): Promise<void> {
  const rule = route.rateLimit;
  if (!rule) return;
  if (!limiter) throw new Error('route declares rateLimit but its module has no rateLimiter');
  const verdict = await limiter().hit(rule.scope, actor.sub, rule.limit, rule.windowSeconds);
  if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds);
}

function parseWith<T>(schema: z.ZodType<T> | undefined, value: unknown, prefix: string): T {
  if (!schema) return undefined as T;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(toFieldErrors(parsed.error, prefix ? [prefix] : []));
  return parsed.data;
}

const logRequests = (): MiddlewareObj<HttpEvent, APIGatewayProxyResultV2> => {
  const started = new WeakMap<object, number>();
  const done = (request: middy.Request<HttpEvent, APIGatewayProxyResultV2>) => {
    const res = request.response as { statusCode?: number } | undefined;
    const ctx = request.context as Ctx;
    // Never the body, the query string or headers: they may hold ID numbers or tokens.
    logger.info('request', {
      route: request.event.routeKey,
      status: res?.statusCode,
      ms: Date.now() - (started.get(request.event) ?? Date.now()),
      requestId: ctx.onestop?.requestId,
      actor: ctx.onestop?.actor.sub,
    });
  };
  return {
    before: (request) => {
      started.set(request.event, Date.now());
    },
    after: done,
    onError: done,
  };
};

const mapErrors = (): MiddlewareObj<HttpEvent, APIGatewayProxyResultV2> => ({
  onError: (request) => {
    const ctx = request.context as Ctx;
    const requestId = ctx.onestop?.requestId ?? request.context?.awsRequestId ?? 'unknown';
    request.response = errorResponse(request.error, ctx.onestop?.lang ?? 'zh-CN', requestId);
  },
});

/**
 * No `Server`/`X-Powered-By` placeholders (the middleware sets them to undefined, which a gateway
 * may print as "undefined") and no empty `Reporting-Endpoints`: we have no reporting endpoint.
 */
const SECURITY_HEADERS = { poweredBy: false, reportingEndpoints: false };

export type RouteTable = Record<string, Route<any, any, any, any, any>>;

/** A handler module's Lambda handler, carrying its route table (read by the OpenAPI generator). */
export interface ModuleOptions {
  /** needed when a route declares `rateLimit`; a function so clients are built on first use */
  rateLimiter?: () => RateLimiter;
}

export function httpModule(routes: RouteTable, options: ModuleOptions = {}) {
  const limited = Object.keys(routes).filter((key) => routes[key]?.rateLimit);
  if (limited.length > 0 && !options.rateLimiter) {
    // Fails at import, in every test that loads the module, rather than on the first request.
    throw new Error(`${limited.join(', ')} declare rateLimit but httpModule got no rateLimiter`);
  }
  const dispatch = async (event: HttpEvent, context: Context): Promise<APIGatewayProxyResultV2> => {
    const ctx = context as Ctx;
    const route = ctx.onestop.route as Route;
    const req: Request = {
      actor: ctx.onestop.actor,
      body: parseWith(route.body, ctx.onestop.body ?? {}, ''),
      query: parseWith(route.query, event.queryStringParameters ?? {}, 'query'),
      params: parseWith(route.params, event.pathParameters ?? {}, 'path'),
      headers: route.headers
        ? { ...event.headers, ...(parseWith(route.headers, event.headers ?? {}, 'header') as object) }
        : event.headers,
      lang: ctx.onestop.lang,
      requestId: ctx.onestop.requestId,
      sourceIp: event.requestContext?.http?.sourceIp ?? 'unknown',
    };
    const replayed = route.replay ? await route.replay(req) : null;
    if (!replayed) await limitRate(route, req.actor, options.rateLimiter);
    const reply = replayed ?? (await route.run(req));
    if (CHECK_RESPONSES) checkReply(event.routeKey, route.response, reply);
    if (reply.raw) {
      return {
        statusCode: reply.status ?? 200,
        headers: { 'content-type': reply.raw.contentType, ...reply.headers },
        body: reply.raw.text,
      };
    }
    return {
      statusCode: reply.status ?? 200,
      headers: { 'content-type': 'application/json; charset=utf-8', ...reply.headers },
      body: JSON.stringify(reply.body),
    };
  };
  const handler = middy<HttpEvent, APIGatewayProxyResultV2>()
    .use(logRequests())
    .use(httpCors({ origins: [optionalEnv('CONSOLE_ORIGIN', 'http://127.0.0.1:3000')], credentials: false }))
    .use(httpSecurityHeaders(SECURITY_HEADERS))
    .use(mapErrors())
    .use(selectRoute(routes))
    .use(parseBody())
    .use(authenticate())
    .handler(dispatch);
  return Object.assign(handler, { routes });
}

function lowerCaseHeaders(
  headers: Record<string, string | undefined> | undefined,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v;
  return out;
}
