/**
 * The Cognito hosted-UI (managed login) protocol as pure functions: PKCE verifier and S256
 * challenge, the authorize, token and logout requests, the state check and the callback's outcome.
 * Everything takes its inputs as arguments (no window, no storage), so it runs under Node in the
 * unit tests; web/src/auth/flow.ts binds it to the browser.
 */
import type { Session } from '../session.ts';
import type { CognitoConfig, PoolConfig, PoolName } from './config.ts';
import { sessionFromIdToken } from './tokens.ts';

/** The console route Cognito redirects to (lib/constructs/user-pools.ts registers the same path). */
export const CALLBACK_PATH = '/auth/callback';
export const SCOPES = ['openid', 'email', 'profile'] as const;

/** The pool a role signs in with. */
export const poolOfRole = (role: string): PoolName => (role === 'parent' ? 'citizen' : 'staff');

/** base64url without padding (RFC 7636 appendix A). */
export function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random URL-safe string; 32 bytes give a 43-character PKCE verifier (the RFC's minimum). */
export function randomUrlSafe(
  bytes = 32,
  crypto: Pick<Crypto, 'getRandomValues'> = globalThis.crypto,
): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The S256 code challenge: base64url(SHA-256(ASCII(verifier))). */
export async function s256Challenge(
  verifier: string,
  subtle: Pick<SubtleCrypto, 'digest'> = globalThis.crypto.subtle,
): Promise<string> {
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

export const callbackUri = (origin: string): string => `${origin}${CALLBACK_PATH}`;

export interface AuthorizeRequest {
  pool: PoolConfig;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  lang: 'zh-CN' | 'en';
}

/** `GET <domain>/oauth2/authorize?…`: the hosted-UI page the browser is sent to. */
export function authorizeUrl(req: AuthorizeRequest): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: req.pool.clientId,
    redirect_uri: req.redirectUri,
    scope: SCOPES.join(' '),
    state: req.state,
    code_challenge: req.codeChallenge,
    code_challenge_method: 'S256',
    lang: req.lang,
  });
  return `${req.pool.authDomain}/oauth2/authorize?${params}`;
}

/** `GET <domain>/logout?…`: ends the hosted-UI session and returns to the console's front page. */
export function logoutUrl(pool: PoolConfig, origin: string): string {
  const params = new URLSearchParams({ client_id: pool.clientId, logout_uri: `${origin}/` });
  return `${pool.authDomain}/logout?${params}`;
}

export interface TokenRequest {
  pool: PoolConfig;
  code: string;
  redirectUri: string;
  codeVerifier: string;
}

/** `POST <domain>/oauth2/token`: the authorization code and its PKCE verifier for tokens. */
export function tokenRequest(req: TokenRequest): { url: string; init: RequestInit } {
  return {
    url: `${req.pool.authDomain}/oauth2/token`,
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: req.pool.clientId,
        code: req.code,
        redirect_uri: req.redirectUri,
        code_verifier: req.codeVerifier,
      }).toString(),
    },
  };
}

/**
 * `POST <domain>/oauth2/token` with `grant_type=refresh_token`: a fresh ID token for the refresh
 * token the sign-in returned. The console's app clients are public (no secret), so the client id
 * is the only client credential.
 */
export function refreshRequest(pool: PoolConfig, refreshToken: string): { url: string; init: RequestInit } {
  return {
    url: `${pool.authDomain}/oauth2/token`,
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: pool.clientId,
        refresh_token: refreshToken,
      }).toString(),
    },
  };
}

/** `POST <domain>/oauth2/revoke`: signing out makes the refresh token (and its tokens) unusable. */
export function revokeRequest(pool: PoolConfig, refreshToken: string): { url: string; init: RequestInit } {
  return {
    url: `${pool.authDomain}/oauth2/revoke`,
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refreshToken, client_id: pool.clientId }).toString(),
      // the browser leaves for the hosted UI's logout right after: the request must outlive the page
      keepalive: true,
    },
  };
}

/** What the console keeps (in sessionStorage) between leaving for the hosted UI and the callback. */
export interface PendingSignIn {
  state: string;
  verifier: string;
  pool: PoolName;
  /** the console page to return to after sign-in */
  returnTo: string;
}

/** Only a path on this origin: never `//host` or a full URL (no open redirect through returnTo). */
export function safeReturnTo(path: unknown): string {
  return typeof path === 'string' && /^\/(?![/\\])/.test(path) ? path : '/';
}

export function parsePending(raw: string | null): PendingSignIn | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<PendingSignIn>;
    if (typeof v.state !== 'string' || !v.state) return null;
    if (typeof v.verifier !== 'string' || !v.verifier) return null;
    if (v.pool !== 'citizen' && v.pool !== 'staff') return null;
    return { state: v.state, verifier: v.verifier, pool: v.pool, returnTo: safeReturnTo(v.returnTo) };
  } catch {
    return null;
  }
}

/** The state Cognito echoes must be the one this tab sent; a missing one on either side fails. */
export function stateMatches(
  expected: string | null | undefined,
  received: string | null | undefined,
): boolean {
  return typeof expected === 'string' && expected !== '' && expected === received;
}

export type CallbackError =
  /** no pending sign-in in this tab, or a state that is not ours (possible CSRF): start again */
  | 'state'
  /** the hosted UI reported an error (e.g. the user cancelled) */
  | 'denied'
  /** the token endpoint refused the code or could not be reached */
  | 'exchange'
  /** the tokens did not yield a session (expired, malformed, or a staff user in no role group) */
  | 'no-role';

export type CallbackOutcome =
  | { kind: 'signed-in'; session: Session; returnTo: string }
  | { kind: 'error'; reason: CallbackError; returnTo: string };

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface CallbackInput {
  /** the callback URL's query (`code`, `state`, or `error`) */
  query: URLSearchParams;
  pending: PendingSignIn | null;
  config: CognitoConfig;
  origin: string;
  fetchImpl: FetchLike;
  nowMs: number;
}

/**
 * Handles the hosted UI's redirect: checks state before anything else, exchanges the code (with
 * the verifier) for tokens, and maps the ID token to a session. Tokens are never logged.
 */
export async function completeCallback(input: CallbackInput): Promise<CallbackOutcome> {
  const { query, pending } = input;
  const returnTo = pending?.returnTo ?? '/';
  if (!pending || !stateMatches(pending.state, query.get('state'))) {
    return { kind: 'error', reason: 'state', returnTo };
  }
  if (query.get('error')) return { kind: 'error', reason: 'denied', returnTo };
  const code = query.get('code');
  if (!code) return { kind: 'error', reason: 'exchange', returnTo };

  const pool = input.config.pools[pending.pool];
  const { url, init } = tokenRequest({
    pool,
    code,
    redirectUri: callbackUri(input.origin),
    codeVerifier: pending.verifier,
  });
  let body: { id_token?: unknown; refresh_token?: unknown };
  try {
    const res = await input.fetchImpl(url, init);
    if (!res.ok) return { kind: 'error', reason: 'exchange', returnTo };
    body = (await res.json()) as typeof body;
  } catch {
    return { kind: 'error', reason: 'exchange', returnTo };
  }
  if (typeof body?.id_token !== 'string') return { kind: 'error', reason: 'exchange', returnTo };
  const session = sessionFromIdToken(body.id_token, pending.pool, input.nowMs);
  if (!session) return { kind: 'error', reason: 'no-role', returnTo };
  // kept to renew the session silently (web/src/session.ts); without one it ends at the ID token's exp
  if (typeof body.refresh_token === 'string' && body.refresh_token) session.refreshToken = body.refresh_token;
  return { kind: 'signed-in', session, returnTo };
}

/**
 * What a refresh-token grant gave: a renewed session, a refusal (the refresh token expired or was
 * revoked, or the new ID token is not this user's: sign in again), or no answer (network or a
 * fault of the token endpoint: try again while the session lasts).
 */
export type RenewOutcome =
  | { kind: 'renewed'; session: Session }
  | { kind: 'rejected' }
  | { kind: 'unavailable' };

export interface RenewInput {
  session: Session;
  config: CognitoConfig;
  fetchImpl: FetchLike;
  nowMs: number;
}

/**
 * Renews a session with its refresh token. Cognito answers with a new ID token (and access token)
 * and, unless refresh-token rotation is on, no new refresh token: the old one is kept then. The
 * renewed session must be the same user in the same role; anything else is a refusal.
 */
export async function renewWithRefreshToken(input: RenewInput): Promise<RenewOutcome> {
  const { session } = input;
  if (!session.refreshToken) return { kind: 'rejected' };
  const poolName = poolOfRole(session.user.role);
  const { url, init } = refreshRequest(input.config.pools[poolName], session.refreshToken);
  let body: { id_token?: unknown; refresh_token?: unknown };
  try {
    const res = await input.fetchImpl(url, init);
    // 400 invalid_grant: expired or revoked; 5xx and throttling (429) may pass
    if (res.status >= 500 || res.status === 429) return { kind: 'unavailable' };
    if (!res.ok) return { kind: 'rejected' };
    body = (await res.json()) as typeof body;
  } catch {
    return { kind: 'unavailable' };
  }
  if (typeof body?.id_token !== 'string') return { kind: 'rejected' };
  const renewed = sessionFromIdToken(body.id_token, poolName, input.nowMs);
  if (!renewed || renewed.user.sub !== session.user.sub || renewed.user.role !== session.user.role) {
    return { kind: 'rejected' };
  }
  renewed.refreshToken =
    typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : session.refreshToken;
  return { kind: 'renewed', session: renewed };
}
