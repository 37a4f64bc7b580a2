/**
 * The console's Cognito hosted-UI sign-in (web/src/auth/): PKCE, the authorize/token/logout
 * requests, the state check, ID token → session, token expiry and config.json parsing. Pure
 * functions, run under Node (its globalThis.crypto.subtle is Web Crypto).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { type CognitoConfig, loadRuntimeConfig, parseRuntimeConfig } from '../../web/src/auth/config.ts';
import {
  authorizeUrl,
  base64Url,
  completeCallback,
  logoutUrl,
  type PendingSignIn,
  parsePending,
  randomUrlSafe,
  s256Challenge,
  safeReturnTo,
  stateMatches,
  tokenRequest,
} from '../../web/src/auth/hosted-ui.ts';
import { isExpired, sessionFromIdToken } from '../../web/src/auth/tokens.ts';

const NOW = Date.parse('2026-12-01T08:00:00Z');
const nowSeconds = Math.floor(NOW / 1000);
const ORIGIN = 'https://d111111abcdef8.cloudfront.net';

/** An unsigned JWT with these claims (the console never verifies signatures; the API does). */
function jwt(claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'test' })}.${part(claims)}.c2lnbmF0dXJl`;
}

const staffClaims = (extra: Record<string, unknown> = {}) => ({
  sub: '5f0c2a9e-1111-2222-3333-444455556666',
  token_use: 'id',
  aud: 'staffclient0123456789abcdef',
  iss: 'https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_Staff1234',
  exp: nowSeconds + 1800,
  iat: nowSeconds,
  name: '李娜',
  email: 'li.na@yueqing.example.cn',
  ...extra,
});

const deployedConfig = {
  auth: 'cognito',
  stage: 'dev',
  region: 'ap-southeast-1',
  citizenApiUrl: 'https://citizen123.execute-api.ap-southeast-1.amazonaws.com/',
  staffApiUrl: 'https://staff456.execute-api.ap-southeast-1.amazonaws.com/',
  citizenUserPoolId: 'ap-southeast-1_Citizen12',
  citizenClientId: 'citizenclient0123456789abcd',
  citizenAuthDomain: 'https://onestop-dev-citizens-1a2b3c4d.auth.ap-southeast-1.amazoncognito.com',
  staffUserPoolId: 'ap-southeast-1_Staff1234',
  staffClientId: 'staffclient0123456789abcdef',
  staffAuthDomain: 'https://onestop-dev-staff-1a2b3c4d.auth.ap-southeast-1.amazoncognito.com',
};

function cognitoConfig(): CognitoConfig {
  const parsed = parseRuntimeConfig(deployedConfig);
  if (!parsed.ok || parsed.config.auth !== 'cognito') throw new Error('fixture config must parse');
  return parsed.config;
}

describe('PKCE', () => {
  it('derives the S256 challenge as base64url(sha256(verifier)), computed independently with node:crypto', async () => {
    // Arrange
    const verifier = randomUrlSafe(32);

    // Act
    const challenge = await s256Challenge(verifier);

    // Assert
    expect(challenge).toBe(createHash('sha256').update(verifier, 'ascii').digest('base64url'));
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('matches the RFC 7636 appendix B example', async () => {
    const challenge = await s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
    expect(challenge).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes 43-character URL-safe verifiers that differ every time', () => {
    const a = randomUrlSafe(32);
    const b = randomUrlSafe(32);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });

  it('encodes base64url without padding', () => {
    expect(base64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect(base64Url(new Uint8Array([0x66]))).toBe('Zg');
  });
});

describe('hosted-UI requests', () => {
  const pool = () => cognitoConfig().pools.staff;

  it('builds the authorize URL with every parameter', () => {
    // Act
    const url = new URL(
      authorizeUrl({
        pool: pool(),
        redirectUri: `${ORIGIN}/auth/callback`,
        state: 'state-123',
        codeChallenge: 'challenge-abc',
        lang: 'zh-CN',
      }),
    );

    // Assert
    expect(url.origin).toBe(deployedConfig.staffAuthDomain);
    expect(url.pathname).toBe('/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: deployedConfig.staffClientId,
      redirect_uri: `${ORIGIN}/auth/callback`,
      scope: 'openid email profile',
      state: 'state-123',
      code_challenge: 'challenge-abc',
      code_challenge_method: 'S256',
      lang: 'zh-CN',
    });
    expect(url.search).toContain('scope=openid+email+profile');
  });

  it('asks for the English hosted UI when the console is in English', () => {
    const url = new URL(
      authorizeUrl({ pool: pool(), redirectUri: 'x', state: 's', codeChallenge: 'c', lang: 'en' }),
    );
    expect(url.searchParams.get('lang')).toBe('en');
  });

  it('posts the code with its verifier as a form to the token endpoint', () => {
    const { url, init } = tokenRequest({
      pool: pool(),
      code: 'code-xyz',
      redirectUri: `${ORIGIN}/auth/callback`,
      codeVerifier: 'verifier-123',
    });
    expect(url).toBe(`${deployedConfig.staffAuthDomain}/oauth2/token`);
    expect(init.method).toBe('POST');
    expect(init.headers).toMatchObject({ 'content-type': 'application/x-www-form-urlencoded' });
    expect(Object.fromEntries(new URLSearchParams(String(init.body)))).toEqual({
      grant_type: 'authorization_code',
      client_id: deployedConfig.staffClientId,
      code: 'code-xyz',
      redirect_uri: `${ORIGIN}/auth/callback`,
      code_verifier: 'verifier-123',
    });
  });

  it('signs out at the hosted UI and returns to the console front page', () => {
    const url = new URL(logoutUrl(cognitoConfig().pools.citizen, ORIGIN));
    expect(url.origin).toBe(deployedConfig.citizenAuthDomain);
    expect(url.pathname).toBe('/logout');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: deployedConfig.citizenClientId,
      logout_uri: `${ORIGIN}/`,
    });
  });
});

describe('state check', () => {
  it('accepts only the state this tab sent', () => {
    expect(stateMatches('s-1', 's-1')).toBe(true);
    expect(stateMatches('s-1', 's-2')).toBe(false);
  });

  it('refuses a missing state on either side', () => {
    expect(stateMatches('s-1', null)).toBe(false);
    expect(stateMatches(null, 's-1')).toBe(false);
    expect(stateMatches(undefined, undefined)).toBe(false);
    expect(stateMatches('', '')).toBe(false);
  });

  it('keeps returnTo on this origin (no open redirect)', () => {
    expect(safeReturnTo('/parent/apply/birth-registration?draft=1')).toBe(
      '/parent/apply/birth-registration?draft=1',
    );
    expect(safeReturnTo('//evil.example/x')).toBe('/');
    expect(safeReturnTo('/\\evil.example')).toBe('/');
    expect(safeReturnTo('https://evil.example/')).toBe('/');
    expect(
      parsePending(JSON.stringify({ state: 's', verifier: 'v', pool: 'staff', returnTo: '//x' })),
    ).toEqual({ state: 's', verifier: 'v', pool: 'staff', returnTo: '/' });
    expect(parsePending('{not json')).toBeNull();
    expect(parsePending(JSON.stringify({ state: 's', verifier: 'v', pool: 'other' }))).toBeNull();
  });
});

describe('ID token → session', () => {
  it('gives a staff user in several groups the highest role (admin over caseworker)', () => {
    const session = sessionFromIdToken(
      jwt(staffClaims({ 'cognito:groups': ['caseworker', 'admin'] })),
      'staff',
      NOW,
    );
    expect(session?.user.role).toBe('admin');
  });

  it('reads groups in API Gateway’s "[a b]" string form too', () => {
    const session = sessionFromIdToken(
      jwt(staffClaims({ 'cognito:groups': '[caseworker auditor]' })),
      'staff',
      NOW,
    );
    expect(session?.user.role).toBe('auditor');
  });

  it('maps custom:agency and custom:township, name and e-mail', () => {
    // Arrange
    const token = jwt(
      staffClaims({
        'cognito:groups': ['caseworker'],
        'custom:agency': 'police',
        'custom:township': 'liushi',
      }),
    );

    // Act
    const session = sessionFromIdToken(token, 'staff', NOW);

    // Assert
    expect(session).toEqual({
      token,
      user: {
        sub: '5f0c2a9e-1111-2222-3333-444455556666',
        role: 'caseworker',
        agency: 'police',
        township: 'liushi',
        name: '李娜',
        email: 'li.na@yueqing.example.cn',
      },
    });
  });

  it('makes every citizen-pool token a parent, whatever it claims', () => {
    const token = jwt({
      sub: 'c0ffee00-aaaa-bbbb-cccc-ddddeeeeffff',
      token_use: 'id',
      exp: nowSeconds + 3600,
      phone_number: '+8613800000000',
      'cognito:groups': ['admin'],
      'custom:agency': 'police',
    });
    const session = sessionFromIdToken(token, 'citizen', NOW);
    expect(session?.user).toEqual({
      sub: 'c0ffee00-aaaa-bbbb-cccc-ddddeeeeffff',
      role: 'parent',
      name: '+8613800000000',
    });
  });

  it('opens no session for a staff account in no role group', () => {
    expect(sessionFromIdToken(jwt(staffClaims()), 'staff', NOW)).toBeNull();
  });

  it('opens no session from an access token', () => {
    const token = jwt(staffClaims({ token_use: 'access', 'cognito:groups': ['admin'] }));
    expect(sessionFromIdToken(token, 'staff', NOW)).toBeNull();
  });

  it('treats an expired token as signed out', () => {
    const expired = jwt(staffClaims({ 'cognito:groups': ['admin'], exp: nowSeconds - 1 }));
    const fresh = jwt(staffClaims({ 'cognito:groups': ['admin'], exp: nowSeconds + 60 }));
    expect(isExpired(expired, NOW)).toBe(true);
    expect(isExpired(fresh, NOW)).toBe(false);
    expect(isExpired('not-a-jwt', NOW)).toBe(true);
    expect(sessionFromIdToken(expired, 'staff', NOW)).toBeNull();
  });
});

describe('the callback', () => {
  const pending: PendingSignIn = {
    state: 'state-123',
    verifier: 'verifier-abc',
    pool: 'staff',
    returnTo: '/caseworker/cases/01JDZ5B2V1W3X4Y5Z6A7B8C9D0',
  };
  const tokenResponse = (idToken: string, status = 200) =>
    new Response(JSON.stringify({ id_token: idToken, access_token: 'a', token_type: 'Bearer' }), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  const run = (query: string, fetchImpl: typeof fetch, pendingSignIn: PendingSignIn | null = pending) =>
    completeCallback({
      query: new URLSearchParams(query),
      pending: pendingSignIn,
      config: cognitoConfig(),
      origin: ORIGIN,
      fetchImpl,
      nowMs: NOW,
    });

  it('refuses a mismatched state before exchanging anything', async () => {
    const fetchImpl = vi.fn<typeof fetch>();
    const outcome = await run('code=abc&state=someone-else', fetchImpl);
    expect(outcome).toEqual({ kind: 'error', reason: 'state', returnTo: pending.returnTo });
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('refuses a callback this tab never started (no pending sign-in) or without state', async () => {
    const fetchImpl = vi.fn<typeof fetch>();
    expect((await run('code=abc&state=state-123', fetchImpl, null)).kind).toBe('error');
    expect(await run('code=abc', fetchImpl)).toMatchObject({ reason: 'state' });
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('exchanges the code with the verifier and signs in with the ID token', async () => {
    // Arrange
    const idToken = jwt(staffClaims({ 'cognito:groups': ['caseworker'], 'custom:agency': 'health' }));
    const fetchImpl = vi.fn<typeof fetch>(async () => tokenResponse(idToken));

    // Act
    const outcome = await run('code=code-xyz&state=state-123', fetchImpl);

    // Assert
    expect(outcome).toMatchObject({
      kind: 'signed-in',
      returnTo: pending.returnTo,
      session: { token: idToken, user: { role: 'caseworker', agency: 'health' } },
    });
    const [url, init] = fetchImpl.mock.calls[0]!;
    expect(url).toBe(`${deployedConfig.staffAuthDomain}/oauth2/token`);
    const body = new URLSearchParams(String(init?.body));
    expect(body.get('code')).toBe('code-xyz');
    expect(body.get('code_verifier')).toBe('verifier-abc');
    expect(body.get('redirect_uri')).toBe(`${ORIGIN}/auth/callback`);
  });

  it('reports a refused code', async () => {
    const fetchImpl = vi.fn<typeof fetch>(async () => tokenResponse('', 400));
    expect(await run('code=stale&state=state-123', fetchImpl)).toMatchObject({ reason: 'exchange' });
  });

  it('reports an error the hosted UI sent back', async () => {
    const fetchImpl = vi.fn<typeof fetch>();
    expect(await run('error=access_denied&state=state-123', fetchImpl)).toMatchObject({ reason: 'denied' });
    expect(fetchImpl).not.toHaveBeenCalled();
  });
});

describe('config.json', () => {
  const response = (body: string, contentType: string, status = 200) =>
    new Response(body, { status, headers: { 'content-type': contentType } });

  it('parses the deployed file into both pools, API URLs without the trailing slash', () => {
    expect(cognitoConfig().pools).toEqual({
      citizen: {
        apiUrl: 'https://citizen123.execute-api.ap-southeast-1.amazonaws.com',
        userPoolId: deployedConfig.citizenUserPoolId,
        clientId: deployedConfig.citizenClientId,
        authDomain: deployedConfig.citizenAuthDomain,
      },
      staff: {
        apiUrl: 'https://staff456.execute-api.ap-southeast-1.amazonaws.com',
        userPoolId: deployedConfig.staffUserPoolId,
        clientId: deployedConfig.staffClientId,
        authDomain: deployedConfig.staffAuthDomain,
      },
    });
  });

  it('names every malformed field', () => {
    const { staffAuthDomain: _missing, ...withoutStaffDomain } = deployedConfig;
    const result = parseRuntimeConfig({
      ...withoutStaffDomain,
      citizenApiUrl: 'http://citizen123.execute-api.ap-southeast-1.amazonaws.com/',
      citizenClientId: '<<marker:0xbaba:3>>',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.join('\n')).toMatch(/citizenApiUrl/);
    expect(result.problems.join('\n')).toMatch(/citizenClientId/);
    expect(result.problems.join('\n')).toMatch(/staffAuthDomain/);
  });

  it('falls back to local mode, with a console error, when the file is malformed', async () => {
    // Arrange
    const log = { error: vi.fn() };
    const fetchImpl = async () =>
      response(JSON.stringify({ auth: 'cognito', stage: 'dev' }), 'application/json');

    // Act
    const config = await loadRuntimeConfig(fetchImpl, log);

    // Assert
    expect(config).toEqual({ auth: 'local' });
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(log.error.mock.calls[0]?.[0]).toMatch(/config\.json is malformed.*citizenApiUrl/);
  });

  it('falls back to local mode, with a console error, when the file is not JSON', async () => {
    const log = { error: vi.fn() };
    const config = await loadRuntimeConfig(async () => response('{"auth": "cog', 'application/json'), log);
    expect(config).toEqual({ auth: 'local' });
    expect(log.error).toHaveBeenCalledTimes(1);
  });

  it('is local mode, silently, where no config.json exists (SPA fallback or 404)', async () => {
    const log = { error: vi.fn() };
    const html = await loadRuntimeConfig(
      async () => response('<!doctype html>', 'text/html; charset=utf-8'),
      log,
    );
    const missing = await loadRuntimeConfig(async () => response('Not Found', 'application/json', 404), log);
    const offline = await loadRuntimeConfig(async () => Promise.reject(new TypeError('network')), log);
    expect([html, missing, offline]).toEqual([{ auth: 'local' }, { auth: 'local' }, { auth: 'local' }]);
    expect(log.error).not.toHaveBeenCalled();
  });

  it('reads the deployed file as cognito mode', async () => {
    const config = await loadRuntimeConfig(async () =>
      response(JSON.stringify(deployedConfig), 'application/json'),
    );
    expect(config).toEqual(cognitoConfig());
  });
});
