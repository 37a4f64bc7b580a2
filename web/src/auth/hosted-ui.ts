/**
 * The authorization-code flow with PKCE as pure functions, for Cognito's hosted UI (managed login)
 * and for any OIDC provider: PKCE verifier and S256 challenge, the authorize, token, revoke and
 * logout requests, the state check and the callback's outcome. Cognito is the case whose
 * endpoints are known from its domain; an OIDC provider's come from its discovery document.
 * Everything takes its inputs as arguments (no window, no storage), so it runs under Node in the
 * unit tests; web/src/auth/flow.ts binds it to the browser.
 */
import type { Session } from '../session.ts';
import {
  type ClaimNames,
  COGNITO_CLAIMS,
  type HostedConfig,
  type OidcPoolConfig,
  type PoolConfig,
  type PoolName,
  secureUrl,
} from './config.ts';
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

/** Where a provider takes each request of the flow. */
export interface OAuthEndpoints {
  authorization: string;
  token: string;
  /** RFC 7009 token revocation, when the provider offers it */
  revocation?: string;
  /** OIDC RP-initiated logout, when the provider offers it */
  endSession?: string;
}

/** The console's public client at one provider. */
export interface OAuthClient {
  kind: 'cognito' | 'oidc';
  clientId: string;
  scopes: readonly string[];
  endpoints: OAuthEndpoints;
}

/** A Cognito pool as a client: its endpoints are fixed paths under the hosted-UI domain. */
export function cognitoClient(pool: PoolConfig): OAuthClient {
  return {
    kind: 'cognito',
    clientId: pool.clientId,
    scopes: SCOPES,
    endpoints: {
      authorization: `${pool.authDomain}/oauth2/authorize`,
      token: `${pool.authDomain}/oauth2/token`,
      revocation: `${pool.authDomain}/oauth2/revoke`,
      endSession: `${pool.authDomain}/logout`,
    },
  };
}

/** `<issuer>/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4). */
export const discoveryUrl = (issuer: string): string =>
  `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;

export type DiscoveryResult = { ok: true; endpoints: OAuthEndpoints } | { ok: false; problems: string[] };

/**
 * Maps a discovery document to the endpoints the console uses. The document must be the issuer's
 * own (its `issuer` equal to the configured one, §4.3) and name https endpoints (http only on the
 * loopback); the authorization and token endpoints are required, revocation and end-session are
 * used when present. S256 must be offered when the provider lists its PKCE methods.
 */
export function endpointsFromDiscovery(issuer: string, doc: unknown): DiscoveryResult {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { ok: false, problems: ['the discovery document is not a JSON object'] };
  }
  const raw = doc as Record<string, unknown>;
  const problems: string[] = [];
  if (raw.issuer !== issuer) {
    problems.push(`issuer ${JSON.stringify(raw.issuer)} is not the configured ${JSON.stringify(issuer)}`);
  }
  const endpoint = (key: string, required: boolean): string | undefined => {
    const v = raw[key];
    if (v === undefined && !required) return undefined;
    const parsed = secureUrl(v);
    if (!parsed || parsed.hash) {
      problems.push(`${key} is ${v === undefined ? 'missing' : 'not an https URL'}`);
      return undefined;
    }
    return parsed.toString();
  };
  const methods = raw.code_challenge_methods_supported;
  if (Array.isArray(methods) && !methods.includes('S256')) {
    problems.push('code_challenge_methods_supported does not include S256');
  }
  const authorization = endpoint('authorization_endpoint', true);
  const token = endpoint('token_endpoint', true);
  const revocation = endpoint('revocation_endpoint', false);
  const endSession = endpoint('end_session_endpoint', false);
  if (problems.length || !authorization || !token) return { ok: false, problems };
  return {
    ok: true,
    endpoints: {
      authorization,
      token,
      ...(revocation ? { revocation } : {}),
      ...(endSession ? { endSession } : {}),
    },
  };
}

/** Fetches and maps an issuer's discovery document; a clear error names what is wrong. */
export async function discoverClient(provider: OidcPoolConfig, fetchImpl: FetchLike): Promise<OAuthClient> {
  const url = discoveryUrl(provider.issuer);
  const res = await fetchImpl(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`OIDC discovery at ${url} answered ${res.status}`);
  const mapped = endpointsFromDiscovery(provider.issuer, await res.json());
  if (!mapped.ok) throw new Error(`OIDC discovery at ${url}: ${mapped.problems.join('; ')}`);
  return { kind: 'oidc', clientId: provider.clientId, scopes: provider.scopes, endpoints: mapped.endpoints };
}

/** A Cognito pool is taken as its client; anything else is a client already. */
const asClient = (x: PoolConfig | OAuthClient): OAuthClient => ('endpoints' in x ? x : cognitoClient(x));

export interface AuthorizeRequest {
  pool: PoolConfig | OAuthClient;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  lang: 'zh-CN' | 'en';
}

/**
 * The authorization endpoint's URL (Cognito: `GET <domain>/oauth2/authorize?…`): the sign-in page
 * the browser is sent to, in the console's language (`lang` for Cognito, `ui_locales` for OIDC).
 */
export function authorizeUrl(req: AuthorizeRequest): string {
  const client = asClient(req.pool);
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: req.redirectUri,
    scope: client.scopes.join(' '),
    state: req.state,
    code_challenge: req.codeChallenge,
    code_challenge_method: 'S256',
  });
  params.set(client.kind === 'cognito' ? 'lang' : 'ui_locales', req.lang);
  // OIDC Core §11: a refresh token (offline_access) is granted only on a consent prompt
  if (client.kind === 'oidc' && client.scopes.includes('offline_access')) params.set('prompt', 'consent');
  return withQuery(client.endpoints.authorization, params);
}

/** Appends to an endpoint that may carry a query of its own already. */
function withQuery(endpoint: string, params: URLSearchParams): string {
  const url = new URL(endpoint);
  for (const [k, v] of params) url.searchParams.set(k, v);
  return url.toString();
}

/**
 * Where the browser goes to end the provider's session and come back to the console's front page:
 * Cognito's `GET <domain>/logout?client_id&logout_uri`, an OIDC provider's end_session_endpoint
 * (RP-initiated logout, with the ID token as hint), or null when the provider has none.
 */
export function logoutUrl(pool: PoolConfig, origin: string): string;
export function logoutUrl(pool: PoolConfig | OAuthClient, origin: string, idToken?: string): string | null;
export function logoutUrl(pool: PoolConfig | OAuthClient, origin: string, idToken?: string): string | null {
  const client = asClient(pool);
  if (!client.endpoints.endSession) return null;
  const params =
    client.kind === 'cognito'
      ? new URLSearchParams({ client_id: client.clientId, logout_uri: `${origin}/` })
      : new URLSearchParams({
          client_id: client.clientId,
          post_logout_redirect_uri: `${origin}/`,
          ...(idToken ? { id_token_hint: idToken } : {}),
        });
  return withQuery(client.endpoints.endSession, params);
}

export interface TokenRequest {
  pool: PoolConfig | OAuthClient;
  code: string;
  redirectUri: string;
  codeVerifier: string;
}

/** `POST <domain>/oauth2/token`: the authorization code and its PKCE verifier for tokens. */
export function tokenRequest(req: TokenRequest): { url: string; init: RequestInit } {
  const client = asClient(req.pool);
  return {
    url: client.endpoints.token,
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: client.clientId,
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
export function refreshRequest(
  pool: PoolConfig | OAuthClient,
  refreshToken: string,
): { url: string; init: RequestInit } {
  const client = asClient(pool);
  return {
    url: client.endpoints.token,
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: client.clientId,
        refresh_token: refreshToken,
      }).toString(),
    },
  };
}

/**
 * The revocation endpoint (Cognito: `POST <domain>/oauth2/revoke`): signing out makes the refresh
 * token (and its tokens) unusable. Null when the provider offers no revocation.
 */
export function revokeRequest(pool: PoolConfig, refreshToken: string): { url: string; init: RequestInit };
export function revokeRequest(
  pool: PoolConfig | OAuthClient,
  refreshToken: string,
): { url: string; init: RequestInit } | null;
export function revokeRequest(
  pool: PoolConfig | OAuthClient,
  refreshToken: string,
): { url: string; init: RequestInit } | null {
  const client = asClient(pool);
  if (!client.endpoints.revocation) return null;
  return {
    url: client.endpoints.revocation,
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: refreshToken,
        ...(client.kind === 'oidc' ? { token_type_hint: 'refresh_token' } : {}),
        client_id: client.clientId,
      }).toString(),
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

/** The client of a pool: Cognito's from its domain, an OIDC provider's from discovery. */
export type ClientOf = (pool: PoolName) => Promise<OAuthClient>;

/** How the pools of `config` become clients (discovery is fetched through `fetchImpl`). */
export function clientResolver(config: HostedConfig, fetchImpl: FetchLike): ClientOf {
  if (config.auth === 'cognito') return (pool) => Promise.resolve(cognitoClient(config.pools[pool]));
  return (pool) => discoverClient(config.pools[pool], fetchImpl);
}

const claimNamesOf = (config: HostedConfig): ClaimNames =>
  config.auth === 'oidc' ? config.claims : COGNITO_CLAIMS;

export interface CallbackInput {
  /** the callback URL's query (`code`, `state`, or `error`) */
  query: URLSearchParams;
  pending: PendingSignIn | null;
  config: HostedConfig;
  /** the pools' clients; by default resolved from `config` */
  clientOf?: ClientOf;
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

  let body: { id_token?: unknown; refresh_token?: unknown };
  try {
    const clientOf = input.clientOf ?? clientResolver(input.config, input.fetchImpl);
    const { url, init } = tokenRequest({
      pool: await clientOf(pending.pool),
      code,
      redirectUri: callbackUri(input.origin),
      codeVerifier: pending.verifier,
    });
    const res = await input.fetchImpl(url, init);
    if (!res.ok) return { kind: 'error', reason: 'exchange', returnTo };
    body = (await res.json()) as typeof body;
  } catch {
    return { kind: 'error', reason: 'exchange', returnTo };
  }
  if (typeof body?.id_token !== 'string') return { kind: 'error', reason: 'exchange', returnTo };
  const session = sessionFromIdToken(body.id_token, pending.pool, input.nowMs, claimNamesOf(input.config));
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
  config: HostedConfig;
  clientOf?: ClientOf;
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
  let body: { id_token?: unknown; refresh_token?: unknown };
  try {
    const clientOf = input.clientOf ?? clientResolver(input.config, input.fetchImpl);
    const { url, init } = refreshRequest(await clientOf(poolName), session.refreshToken);
    const res = await input.fetchImpl(url, init);
    // 400 invalid_grant: expired or revoked; 5xx and throttling (429) may pass
    if (res.status >= 500 || res.status === 429) return { kind: 'unavailable' };
    if (!res.ok) return { kind: 'rejected' };
    body = (await res.json()) as typeof body;
  } catch {
    return { kind: 'unavailable' };
  }
  if (typeof body?.id_token !== 'string') return { kind: 'rejected' };
  const renewed = sessionFromIdToken(body.id_token, poolName, input.nowMs, claimNamesOf(input.config));
  if (!renewed || renewed.user.sub !== session.user.sub || renewed.user.role !== session.user.role) {
    return { kind: 'rejected' };
  }
  renewed.refreshToken =
    typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : session.refreshToken;
  return { kind: 'renewed', session: renewed };
}
