/**
 * The API client: bearer token from the session, Accept-Language from the UI language. Locally
 * the API is on the same origin; on AWS (config.json, auth "cognito" or "oidc") a parent's and anonymous
 * requests go to the citizen API and staff requests to the staff API, since each API's JWT
 * authorizer trusts one user pool. Errors become ApiError with the field list of the error body
 * (`{error:{code,message,messages,fields:[{path,code,message,messages}]}}`). A request the API
 * refuses with 401 renews the session (web/src/session.ts: one renewal for all concurrent
 * requests) and is sent once more with the new token; without a renewal the tab is signed out.
 */
import { runtimeConfig } from './auth/config.ts';
import { currentLang, type Text, translate } from './i18n.tsx';
import { expireSession, renewSession, type Session, sessionForRequest } from './session.ts';

export interface FieldError {
  path: string;
  code?: string;
  message: string;
  messages?: Text;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly messages: Text | undefined,
    readonly fields: FieldError[],
    /** the API's request id (error bodies carry it), to quote to support */
    readonly requestId?: string,
  ) {
    super(message);
  }
}

interface Options {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  /** return the body as text (CSV) */
  text?: boolean;
  /** skip the bearer token (public routes) */
  anonymous?: boolean;
  /** let the request outlive the page (a last save when the tab closes) */
  keepalive?: boolean;
}

/** Where a request goes: '' (same origin) locally, else the API of the session's user pool. */
function apiBase(session: Session | null, anonymous: boolean): string {
  const config = runtimeConfig();
  if (config.auth === 'local') return '';
  const staff = !anonymous && session !== null && session.user.role !== 'parent';
  return config.pools[staff ? 'staff' : 'citizen'].apiUrl;
}

/** Tries of a read answered 503 (the server's Retry-After, else exponential backoff). */
const READ_ATTEMPTS = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function retryDelayMs(retryAfter: string | null, attempt: number): number {
  const seconds = Number(retryAfter);
  const backoff = 250 * 2 ** attempt;
  return Math.min(
    5000,
    Number.isFinite(seconds) && seconds > 0 ? Math.max(seconds * 1000, backoff) : backoff,
  );
}

export async function api<T>(path: string, opts: Options = {}): Promise<T> {
  const headers: Record<string, string> = {
    accept: opts.text ? 'text/csv' : 'application/json',
    'accept-language': currentLang() === 'en' ? 'en' : 'zh-CN',
    ...opts.headers,
  };
  let session = opts.anonymous ? null : await sessionForRequest();
  if (session) headers.authorization = `Bearer ${session.token}`;
  const url = `${apiBase(session, opts.anonymous === true)}${path}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const method = opts.method ?? 'GET';
  let res: Response;
  for (let attempt = 0, renewed = false; ; attempt++) {
    try {
      res = await fetch(url, {
        method,
        headers,
        ...(opts.keepalive ? { keepalive: true } : {}),
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      });
    } catch {
      throw new ApiError(
        0,
        'NETWORK',
        'Network error',
        { 'zh-CN': '网络错误，请重试', en: 'Network error; please retry' },
        [],
      );
    }
    // A refused token: renew once and send again (a write too: the API did not act on it).
    if (res.status === 401 && session && !renewed) {
      renewed = true;
      const next = await renewSession(session.token);
      if (next && apiBase(next, false) === apiBase(session, false)) {
        session = next;
        headers.authorization = `Bearer ${next.token}`;
        continue;
      }
    }
    // A busy store (503 with Retry-After) is retried for reads; a write is left to the user.
    if (res.status !== 503 || method !== 'GET' || attempt + 1 >= READ_ATTEMPTS) break;
    await sleep(retryDelayMs(res.headers.get('retry-after'), attempt));
  }
  if (res.status === 401 && session) expireSession();
  if (!res.ok) {
    let body: {
      error?: { code?: string; message?: string; messages?: Text; fields?: FieldError[]; requestId?: string };
      message?: string;
    } = {};
    try {
      body = await res.json();
    } catch {
      // non-JSON error body
    }
    const err = body.error;
    throw new ApiError(
      res.status,
      err?.code ?? String(res.status),
      err?.message ?? body.message ?? res.statusText,
      err?.messages,
      err?.fields ?? [],
      err?.requestId,
    );
  }
  if (opts.text) return (await res.text()) as T;
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** The message of an error in the UI language. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const text = err.messages
      ? currentLang() === 'en'
        ? err.messages.en
        : err.messages['zh-CN']
      : err.message;
    // A server fault: the request id lets support find it (the 500 text already quotes it).
    if (err.status >= 500 && err.requestId && !text.includes(err.requestId)) {
      return `${text}（${translate(currentLang(), 'error.requestId', { id: err.requestId })}）`;
    }
    return text;
  }
  return err instanceof Error ? err.message : String(err);
}

export function newId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
