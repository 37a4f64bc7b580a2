/**
 * A generic OpenID Connect provider run on this machine (the `oidc-provider` package) for the
 * console's `auth: 'oidc'` mode, as a province's identity provider would be on the China stage:
 * discovery, authorization with its own login and consent pages (its development interactions,
 * driven by the browser), the token endpoint with PKCE required for the public clients, refresh
 * tokens with rotation (offline_access), revocation and RP-initiated logout.
 *
 * The local gateway verifies dev-IdP tokens only, so the two API domains are played as in
 * fake-cognito.ts, with one step more: each request's bearer token must be an ID token this
 * provider signed (checked against its JWKS) for the API's client; it is then exchanged for a
 * dev-IdP token of the same user and forwarded to the local runtime. A token that is not the
 * provider's goes on without one (the runtime answers 401). Everything is recorded.
 */
import { createPublicKey, type JsonWebKey, verify } from 'node:crypto';
import type { Server } from 'node:http';
import Provider, { type Configuration } from 'oidc-provider';
import type { BrowserContext, Route } from 'playwright-core';
import { answerFromRuntime } from './fake-cognito.ts';
import { freePort, tokenFor } from './runtime.ts';

export const CITIZEN_API = 'https://citizen-api.example.test';
export const STAFF_API = 'https://staff-api.example.test';
export const CLIENT_IDS = { citizen: 'onestop-citizen', staff: 'onestop-staff' } as const;
export const SCOPES = 'openid profile offline_access';

/** The accounts the login page knows, by login name: the claims their ID tokens carry. */
export type Accounts = Record<string, Record<string, unknown>>;

export interface ApiCall {
  origin: string;
  method: string;
  path: string;
  /** the bearer token the console sent */
  token?: string;
  /** whether that token was an ID token of this provider for the API's client */
  verified: boolean;
  status: number;
}

export interface LocalOidc {
  issuer: string;
  /** the console's config.json in oidc mode */
  config: Record<string, string>;
  /** every token-endpoint grant that succeeded, by grant type */
  grants: string[];
  /** refresh tokens revoked at the revocation endpoint */
  revocations: number;
  /** end-session requests (sign-outs at the provider) */
  logouts: URL[];
  apiCalls: ApiCall[];
  /** the claims of a JWT if this provider signed it and it is live for `clientId`; otherwise null */
  verifyIdToken(token: string, clientId: string): Promise<Record<string, unknown> | null>;
  /** routes config.json and the two API domains of `ctx` for the console at `origin` */
  install(ctx: BrowserContext): Promise<void>;
  stop(): Promise<void>;
}

const decode = (part: string | undefined) =>
  JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));

/** Starts the provider on a free port for the console at `origin`. */
export async function startLocalOidc(
  origin: string,
  opts: { accounts: Accounts; idTokenTtlSeconds: number },
): Promise<LocalOidc> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const client = (clientId: string) => ({
    client_id: clientId,
    token_endpoint_auth_method: 'none' as const,
    application_type: 'web' as const,
    redirect_uris: [`${origin}/auth/callback`],
    post_logout_redirect_uris: [`${origin}/`],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code' as const],
  });
  const configuration: Configuration = {
    clients: [client(CLIENT_IDS.citizen), client(CLIENT_IDS.staff)],
    // the claims the console reads come in the ID token itself (as the stage's providers must send them)
    conformIdTokenClaims: false,
    claims: { openid: ['sub', 'roles', 'agency', 'township'], profile: ['name'] },
    findAccount: (_ctx, id) => {
      const claims = opts.accounts[id];
      if (!claims) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...claims }) };
    },
    features: { revocation: { enabled: true }, devInteractions: { enabled: true } },
    pkce: { required: () => true },
    ttl: { IdToken: opts.idTokenTtlSeconds, AccessToken: opts.idTokenTtlSeconds, RefreshToken: 3600 },
    cookies: { keys: ['onestop-browser-test-cookie-key'] },
    clientBasedCORS: (_ctx, requestOrigin) => requestOrigin === origin,
  };
  const provider = new Provider(issuer, configuration);
  const grants: string[] = [];
  const logouts: URL[] = [];
  const apiCalls: ApiCall[] = [];
  let revocations = 0;
  provider.on('grant.success', (ctx) => grants.push(String(ctx.oidc.params?.grant_type)));
  provider.on('grant.revoked', () => revocations++);
  provider.use(async (ctx, next) => {
    if (ctx.path === '/session/end' && ctx.method === 'GET') logouts.push(new URL(ctx.href));
    await next();
  });
  const server: Server = await new Promise((resolve) => {
    const s = provider.listen(port, '127.0.0.1', () => resolve(s));
  });

  let keys: JsonWebKey[] | null = null;
  const verifyIdToken = async (token: string, clientId: string) => {
    const [h, p, sig] = token.split('.');
    if (!h || !p || !sig) return null;
    keys ??= ((await (await fetch(`${issuer}/jwks`)).json()) as { keys: JsonWebKey[] }).keys;
    const header = decode(h) as { kid?: string; alg?: string };
    const jwk = keys.find((k) => k.kid === header.kid);
    if (!jwk || header.alg !== 'RS256') return null;
    const ok = verify(
      'sha256',
      Buffer.from(`${h}.${p}`),
      createPublicKey({ key: jwk, format: 'jwk' }),
      Buffer.from(sig, 'base64url'),
    );
    const claims = decode(p) as Record<string, unknown>;
    const live = typeof claims.exp === 'number' && claims.exp * 1000 > Date.now();
    return ok && live && claims.iss === issuer && claims.aud === clientId ? claims : null;
  };

  const fake: LocalOidc = {
    issuer,
    config: {
      auth: 'oidc',
      stage: 'test',
      citizenApiUrl: CITIZEN_API,
      staffApiUrl: STAFF_API,
      citizenIssuer: issuer,
      citizenClientId: CLIENT_IDS.citizen,
      citizenScopes: SCOPES,
      staffIssuer: issuer,
      staffClientId: CLIENT_IDS.staff,
      staffScopes: SCOPES,
    },
    grants,
    get revocations() {
      return revocations;
    },
    logouts,
    apiCalls,
    verifyIdToken,
    async install(ctx) {
      await ctx.route(`${origin}/config.json`, (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(fake.config) }),
      );
      // the provider's pages import a web font: not reachable here, and not needed
      await ctx.route('https://fonts.googleapis.com/**', (route) => route.abort());
      for (const [api, clientId] of [
        [CITIZEN_API, CLIENT_IDS.citizen],
        [STAFF_API, CLIENT_IDS.staff],
      ] as const) {
        await ctx.route(`${api}/**`, async (route: Route) => {
          const request = route.request();
          const url = new URL(request.url());
          const authorization = await request.headerValue('authorization').catch(() => null);
          const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
          const claims = token ? await verifyIdToken(token, clientId) : null;
          const headers = { ...request.headers() };
          delete headers.authorization;
          if (claims) {
            const user: Record<string, string> = { sub: String(claims.sub) };
            if (api === CITIZEN_API) user.role = 'parent';
            else {
              user.role = String((claims.roles as string[] | undefined)?.[0] ?? '');
              if (typeof claims.agency === 'string') user.agency = claims.agency;
              if (typeof claims.township === 'string') user.township = claims.township;
            }
            if (typeof claims.name === 'string') user.name = claims.name;
            headers.authorization = `Bearer ${await tokenFor(origin, user)}`;
          }
          let response: Awaited<ReturnType<Route['fetch']>>;
          try {
            response = await route.fetch({ url: `${origin}${url.pathname}${url.search}`, headers });
          } catch {
            return; // the page closed while the request was under way
          }
          if (request.method() !== 'OPTIONS') {
            apiCalls.push({
              origin: api,
              method: request.method(),
              path: url.pathname,
              ...(token ? { token } : {}),
              verified: claims !== null,
              status: response.status(),
            });
          }
          await answerFromRuntime(route, response, origin);
        });
      }
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  return fake;
}

/** The payload of a JWT (not verified). */
export const claimsOf = (token: string): Record<string, unknown> => decode(token.split('.')[1]);
