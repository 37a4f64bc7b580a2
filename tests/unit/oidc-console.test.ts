/**
 * The console's oidc mode (web/src/auth/): config.json parsing, the discovery document mapped to
 * the flow's endpoints, the requests built from them, and claim names for staff sessions. Pure
 * functions, run under Node.
 */
import { describe, expect, it, vi } from 'vitest';
import { type OidcConfig, parseRuntimeConfig } from '../../web/src/auth/config.ts';
import {
  authorizeUrl,
  completeCallback,
  discoverClient,
  discoveryUrl,
  endpointsFromDiscovery,
  logoutUrl,
  type OAuthClient,
  refreshRequest,
  revokeRequest,
  tokenRequest,
} from '../../web/src/auth/hosted-ui.ts';
import { sessionFromIdToken } from '../../web/src/auth/tokens.ts';

const NOW = Date.parse('2026-12-01T08:00:00Z');
const ISSUER = 'https://iam.zjzwfw.example.gov.cn/oidc';
const STAFF_ISSUER = 'https://zzd.example.gov.cn/';

const published = {
  auth: 'oidc',
  stage: 'cn',
  region: 'cn-northwest-1',
  citizenApiUrl: 'https://abc.execute-api.cn-northwest-1.amazonaws.com.cn/',
  staffApiUrl: 'https://def.execute-api.cn-northwest-1.amazonaws.com.cn',
  citizenIssuer: ISSUER,
  citizenClientId: 'onestop-citizen:yueqing',
  citizenScopes: 'openid profile offline_access',
  staffIssuer: STAFF_ISSUER,
  staffClientId: 'onestop-staff',
  staffScopes: 'openid profile',
};

function oidcConfig(extra: Record<string, unknown> = {}): OidcConfig {
  const parsed = parseRuntimeConfig({ ...published, ...extra });
  if (!parsed.ok || parsed.config.auth !== 'oidc') throw new Error(JSON.stringify(parsed));
  return parsed.config;
}

const discovery = (extra: Record<string, unknown> = {}) => ({
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
  revocation_endpoint: `${ISSUER}/token/revocation`,
  end_session_endpoint: `${ISSUER}/session/end`,
  jwks_uri: `${ISSUER}/jwks`,
  code_challenge_methods_supported: ['S256'],
  ...extra,
});

const client = (endpoints: Partial<OAuthClient['endpoints']> = {}): OAuthClient => ({
  kind: 'oidc',
  clientId: 'onestop-citizen:yueqing',
  scopes: ['openid', 'profile', 'offline_access'],
  endpoints: { authorization: `${ISSUER}/authorize`, token: `${ISSUER}/token`, ...endpoints },
});

function jwt(claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(claims)}.c2ln`;
}

describe('config.json in oidc mode', () => {
  it('reads what the cn stage publishes: issuers as written, API URLs without a trailing slash, scopes, default claim names', () => {
    const config = oidcConfig();
    expect(config.pools.citizen).toEqual({
      apiUrl: 'https://abc.execute-api.cn-northwest-1.amazonaws.com.cn',
      issuer: ISSUER,
      clientId: 'onestop-citizen:yueqing',
      scopes: ['openid', 'profile', 'offline_access'],
    });
    expect(config.pools.staff.issuer).toBe(STAFF_ISSUER);
    expect(config.claims).toEqual({ role: 'roles', agency: 'agency', township: 'township' });
  });

  it('takes the claim names the stage configures, and openid profile when no scopes are given', () => {
    const config = oidcConfig({
      roleClaim: 'zzd_roles',
      agencyClaim: 'org_code',
      townshipClaim: 'area_code',
    });
    expect(config.claims).toEqual({ role: 'zzd_roles', agency: 'org_code', township: 'area_code' });
    const { citizenScopes: _, ...noScopes } = published;
    const parsed = parseRuntimeConfig(noScopes);
    expect(parsed.ok && parsed.config.auth === 'oidc' && parsed.config.pools.citizen.scopes).toEqual([
      'openid',
      'profile',
    ]);
  });

  it('names every problem of a bad file instead of repairing it', () => {
    const parsed = parseRuntimeConfig({
      ...published,
      citizenIssuer: 'http://iam.example.gov.cn',
      staffIssuer: undefined,
      staffClientId: '',
      citizenScopes: 'profile email',
      roleClaim: 42,
    });
    expect(parsed).toEqual({
      ok: false,
      problems: expect.arrayContaining([
        'citizenIssuer must be an https URL',
        'staffIssuer must be an https URL',
        'staffClientId is missing or malformed',
        'citizenScopes must be space-separated scopes including openid',
        'roleClaim is missing or malformed',
      ]),
    });
    expect(parsed.ok === false && parsed.problems).toHaveLength(5);
  });

  it('allows http for an issuer on the loopback only (a provider on the developer machine)', () => {
    expect(parseRuntimeConfig({ ...published, citizenIssuer: 'http://127.0.0.1:4000' }).ok).toBe(true);
    expect(parseRuntimeConfig({ ...published, citizenIssuer: 'http://localhost:4000/realm' }).ok).toBe(true);
    expect(parseRuntimeConfig({ ...published, citizenIssuer: 'http://10.0.0.8:4000' }).ok).toBe(false);
    expect(parseRuntimeConfig({ ...published, citizenApiUrl: 'http://127.0.0.1:3000' }).ok).toBe(false);
  });

  it('refuses an unknown auth kind, naming the three it knows', () => {
    expect(parseRuntimeConfig({ ...published, auth: 'saml' })).toEqual({
      ok: false,
      problems: ['auth must be "cognito", "oidc" or "local", not "saml"'],
    });
  });
});

describe('discovery', () => {
  it("is read at the issuer's /.well-known/openid-configuration, with or without its trailing slash", () => {
    expect(discoveryUrl(ISSUER)).toBe(`${ISSUER}/.well-known/openid-configuration`);
    expect(discoveryUrl(STAFF_ISSUER)).toBe('https://zzd.example.gov.cn/.well-known/openid-configuration');
  });

  it('maps the four endpoints the flow uses', () => {
    expect(endpointsFromDiscovery(ISSUER, discovery())).toEqual({
      ok: true,
      endpoints: {
        authorization: `${ISSUER}/authorize`,
        token: `${ISSUER}/token`,
        revocation: `${ISSUER}/token/revocation`,
        endSession: `${ISSUER}/session/end`,
      },
    });
  });

  it('leaves out revocation and end-session when the provider has none', () => {
    const doc = discovery({ revocation_endpoint: undefined, end_session_endpoint: undefined });
    expect(endpointsFromDiscovery(ISSUER, JSON.parse(JSON.stringify(doc)))).toEqual({
      ok: true,
      endpoints: { authorization: `${ISSUER}/authorize`, token: `${ISSUER}/token` },
    });
  });

  it("refuses another issuer's document, missing or insecure endpoints, and a provider without S256", () => {
    const result = endpointsFromDiscovery(
      ISSUER,
      JSON.parse(
        JSON.stringify(
          discovery({
            issuer: 'https://evil.example.com',
            token_endpoint: undefined,
            authorization_endpoint: 'http://iam.zjzwfw.example.gov.cn/authorize',
            revocation_endpoint: 'not a url',
            code_challenge_methods_supported: ['plain'],
          }),
        ),
      ),
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        `issuer "https://evil.example.com" is not the configured "${ISSUER}"`,
        'code_challenge_methods_supported does not include S256',
        'authorization_endpoint is not an https URL',
        'token_endpoint is missing',
        'revocation_endpoint is not an https URL',
      ],
    });
    expect(endpointsFromDiscovery(ISSUER, '<html>')).toEqual({
      ok: false,
      problems: ['the discovery document is not a JSON object'],
    });
  });

  it('throws a clear error when the document cannot be had or is wrong', async () => {
    const provider = oidcConfig().pools.citizen;
    const notFound = vi.fn(async () => new Response('nope', { status: 404 }));
    await expect(discoverClient(provider, notFound)).rejects.toThrow(
      `OIDC discovery at ${ISSUER}/.well-known/openid-configuration answered 404`,
    );
    const other = vi.fn(async () => Response.json(discovery({ issuer: 'https://other.example.com' })));
    await expect(discoverClient(provider, other)).rejects.toThrow(/is not the configured/);
    const good = vi.fn(async () => Response.json(discovery()));
    await expect(discoverClient(provider, good)).resolves.toMatchObject({
      kind: 'oidc',
      clientId: 'onestop-citizen:yueqing',
      scopes: ['openid', 'profile', 'offline_access'],
    });
  });
});

describe('the flow against discovered endpoints', () => {
  it('authorizes with the configured scopes, ui_locales, S256, and a consent prompt for offline_access', () => {
    const url = new URL(
      authorizeUrl({
        pool: client(),
        redirectUri: 'https://c.example/auth/callback',
        state: 's',
        codeChallenge: 'c',
        lang: 'zh-CN',
      }),
    );
    expect(`${url.origin}${url.pathname}`).toBe(`${ISSUER}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'onestop-citizen:yueqing',
      redirect_uri: 'https://c.example/auth/callback',
      scope: 'openid profile offline_access',
      state: 's',
      code_challenge: 'c',
      code_challenge_method: 'S256',
      ui_locales: 'zh-CN',
      prompt: 'consent',
    });
    const noOffline = new URL(
      authorizeUrl({
        pool: { ...client(), scopes: ['openid'] },
        redirectUri: 'x',
        state: 's',
        codeChallenge: 'c',
        lang: 'en',
      }),
    );
    expect(noOffline.searchParams.has('prompt')).toBe(false);
  });

  it('keeps a query the authorization endpoint already has', () => {
    const url = new URL(
      authorizeUrl({
        pool: client({ authorization: `${ISSUER}/authorize?tenant=zj` }),
        redirectUri: 'x',
        state: 's',
        codeChallenge: 'c',
        lang: 'en',
      }),
    );
    expect(url.searchParams.get('tenant')).toBe('zj');
    expect(url.searchParams.get('client_id')).toBe('onestop-citizen:yueqing');
  });

  it('posts the code, the refresh token and the revocation to the discovered endpoints', () => {
    const c = client({ revocation: `${ISSUER}/revoke` });
    expect(tokenRequest({ pool: c, code: 'k', redirectUri: 'r', codeVerifier: 'v' }).url).toBe(
      `${ISSUER}/token`,
    );
    expect(refreshRequest(c, 'rt').url).toBe(`${ISSUER}/token`);
    const revoke = revokeRequest(c, 'rt');
    expect(revoke?.url).toBe(`${ISSUER}/revoke`);
    expect(Object.fromEntries(new URLSearchParams(String(revoke?.init.body)))).toEqual({
      token: 'rt',
      token_type_hint: 'refresh_token',
      client_id: 'onestop-citizen:yueqing',
    });
    expect(revokeRequest(client(), 'rt')).toBeNull();
  });

  it('logs out at the end-session endpoint with the ID token as hint, or not at all without one', () => {
    const url = new URL(
      logoutUrl(client({ endSession: `${ISSUER}/session/end` }), 'https://c.example', 'id.tok.en') ?? '',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'onestop-citizen:yueqing',
      post_logout_redirect_uri: 'https://c.example/',
      id_token_hint: 'id.tok.en',
    });
    expect(logoutUrl(client(), 'https://c.example', 'id.tok.en')).toBeNull();
  });

  it('a callback whose discovery fails is an exchange failure, and no code is sent anywhere', async () => {
    const fetchImpl = vi.fn(
      async (_url: string, _init?: RequestInit) => new Response('down', { status: 503 }),
    );
    const outcome = await completeCallback({
      query: new URLSearchParams({ code: 'k', state: 's' }),
      pending: { state: 's', verifier: 'v', pool: 'citizen', returnTo: '/parent' },
      config: oidcConfig(),
      origin: 'https://c.example',
      fetchImpl,
      nowMs: NOW,
    });
    expect(outcome).toEqual({ kind: 'error', reason: 'exchange', returnTo: '/parent' });
    expect(fetchImpl.mock.calls.map(([url]) => url)).toEqual([`${ISSUER}/.well-known/openid-configuration`]);
  });

  it('a staff callback reads role, agency and township from the configured claim names', async () => {
    const config = oidcConfig({
      staffIssuer: ISSUER,
      roleClaim: 'zzd_roles',
      agencyClaim: 'org_code',
      townshipClaim: 'area_code',
    });
    const idToken = jwt({
      sub: 'u-1',
      iss: ISSUER,
      exp: NOW / 1000 + 600,
      iat: NOW / 1000,
      name: '张医生',
      zzd_roles: ['auditor', 'caseworker'],
      org_code: 'health',
      area_code: 'liushi',
      roles: ['admin'],
      agency: 'civil-affairs',
    });
    const fetchImpl = vi.fn(async (url: string) =>
      url.endsWith('/openid-configuration')
        ? Response.json(discovery())
        : Response.json({ id_token: idToken, refresh_token: 'rt-1' }),
    );
    const outcome = await completeCallback({
      query: new URLSearchParams({ code: 'k', state: 's' }),
      pending: { state: 's', verifier: 'v', pool: 'staff', returnTo: '/caseworker' },
      config,
      origin: 'https://c.example',
      fetchImpl,
      nowMs: NOW,
    });
    expect(outcome).toMatchObject({
      kind: 'signed-in',
      session: {
        token: idToken,
        refreshToken: 'rt-1',
        user: { sub: 'u-1', role: 'auditor', agency: 'health', township: 'liushi', name: '张医生' },
      },
    });
    expect(fetchImpl.mock.calls[1]?.[0]).toBe(`${ISSUER}/token`);
  });

  it('a role claim given as a space-separated string counts, and a staff token without one opens no session', () => {
    const names = { role: 'roles', agency: 'agency', township: 'township' };
    const base = { sub: 'u', exp: NOW / 1000 + 60 };
    expect(
      sessionFromIdToken(jwt({ ...base, roles: 'staff caseworker' }), 'staff', NOW, names)?.user.role,
    ).toBe('caseworker');
    expect(sessionFromIdToken(jwt({ ...base, 'cognito:groups': ['admin'] }), 'staff', NOW, names)).toBeNull();
  });
});
