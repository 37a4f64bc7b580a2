/**
 * Silent session renewal in the console (web/src/session.ts, web/src/api.ts and the refresh-token
 * grant of web/src/auth/hosted-ui.ts): when a session renews, what one renewal serves, what a
 * refused or unanswered grant leads to, and a request the API refuses with 401 sent once more
 * after renewal. Runs under Node with fake timers; each test loads the session module afresh
 * (it keeps the tab's session in module state).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type CognitoConfig, parseRuntimeConfig } from '../../web/src/auth/config.ts';
import {
  completeCallback,
  type RenewOutcome,
  refreshRequest,
  renewWithRefreshToken,
  revokeRequest,
} from '../../web/src/auth/hosted-ui.ts';
import type { Session } from '../../web/src/session.ts';

const NOW = Date.parse('2026-12-01T08:00:00Z');
const STAFF_DOMAIN = 'https://onestop-dev-staff-1a2b3c4d.auth.ap-southeast-1.amazoncognito.com';

/** An unsigned JWT (the console never verifies signatures; the API does). */
function jwt(claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'test' })}.${part(claims)}.c2lnbmF0dXJl`;
}

/** A staff ID token issued at `issuedMs` that lives `ttlSeconds`. */
function staffToken(issuedMs: number, ttlSeconds: number, extra: Record<string, unknown> = {}): string {
  const iat = Math.floor(issuedMs / 1000);
  return jwt({
    sub: 'cw-1',
    token_use: 'id',
    'cognito:groups': ['caseworker'],
    'custom:agency': 'health',
    iat,
    exp: iat + ttlSeconds,
    ...extra,
  });
}

const user = { sub: 'cw-1', role: 'caseworker', agency: 'health' } as const;
const session = (token: string, refreshToken?: string): Session => ({
  token,
  user: { ...user },
  ...(refreshToken ? { refreshToken } : {}),
});

function cognitoConfig(): CognitoConfig {
  const parsed = parseRuntimeConfig({
    auth: 'cognito',
    stage: 'dev',
    region: 'ap-southeast-1',
    citizenApiUrl: 'https://citizen123.execute-api.ap-southeast-1.amazonaws.com',
    staffApiUrl: 'https://staff456.execute-api.ap-southeast-1.amazonaws.com',
    citizenUserPoolId: 'ap-southeast-1_Citizen12',
    citizenClientId: 'citizenclient0123456789abcd',
    citizenAuthDomain: 'https://onestop-dev-citizens-1a2b3c4d.auth.ap-southeast-1.amazoncognito.com',
    staffUserPoolId: 'ap-southeast-1_Staff1234',
    staffClientId: 'staffclient0123456789abcdef',
    staffAuthDomain: STAFF_DOMAIN,
  });
  if (!parsed.ok || parsed.config.auth !== 'cognito') throw new Error('fixture config must parse');
  return parsed.config;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('the refresh-token grant', () => {
  const renew = (fetchImpl: typeof fetch, from = session(staffToken(NOW, 1800), 'rt-1')) =>
    renewWithRefreshToken({ session: from, config: cognitoConfig(), fetchImpl, nowMs: NOW });

  it("posts grant_type=refresh_token with the pool's public client id and no secret", async () => {
    const fetchImpl = vi.fn<typeof fetch>(async () => json({ id_token: staffToken(NOW, 1800) }));
    await renew(fetchImpl);
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    const [url, init] = fetchImpl.mock.calls[0] ?? [];
    expect(url).toBe(`${STAFF_DOMAIN}/oauth2/token`);
    expect(init?.method).toBe('POST');
    expect(Object.fromEntries(new URLSearchParams(String(init?.body)))).toEqual({
      grant_type: 'refresh_token',
      client_id: 'staffclient0123456789abcdef',
      refresh_token: 'rt-1',
    });
    expect(refreshRequest(cognitoConfig().pools.staff, 'rt-1').init.headers).toMatchObject({
      'content-type': 'application/x-www-form-urlencoded',
    });
  });

  it('renews with the new ID token and keeps the refresh token when Cognito sends none', async () => {
    const fresh = staffToken(NOW, 1800, { name: '张医生' });
    const outcome = await renew(async () => json({ id_token: fresh, access_token: 'a', expires_in: 1800 }));
    expect(outcome).toEqual({
      kind: 'renewed',
      session: { token: fresh, user: { ...user, name: '张医生' }, refreshToken: 'rt-1' },
    });
  });

  it('takes a rotated refresh token', async () => {
    const outcome = await renew(async () => json({ id_token: staffToken(NOW, 1800), refresh_token: 'rt-2' }));
    expect(outcome.kind === 'renewed' && outcome.session.refreshToken).toBe('rt-2');
  });

  it('is refused when the refresh token expired or was revoked (400 invalid_grant)', async () => {
    expect(await renew(async () => json({ error: 'invalid_grant' }, 400))).toEqual({ kind: 'rejected' });
  });

  it('is refused when the new ID token is another user or no ID token at all', async () => {
    const other = staffToken(NOW, 1800, { sub: 'cw-2' });
    expect(await renew(async () => json({ id_token: other }))).toEqual({ kind: 'rejected' });
    expect(await renew(async () => json({ access_token: 'a' }))).toEqual({ kind: 'rejected' });
    const expired = staffToken(NOW - 3_600_000, 1800);
    expect(await renew(async () => json({ id_token: expired }))).toEqual({ kind: 'rejected' });
  });

  it('has no answer on a network error, a fault of the endpoint, or throttling', async () => {
    const unavailable = { kind: 'unavailable' };
    expect(await renew(async () => Promise.reject(new TypeError('Failed to fetch')))).toEqual(unavailable);
    expect(await renew(async () => json({ error: 'internal' }, 500))).toEqual(unavailable);
    expect(await renew(async () => json({ error: 'slow down' }, 429))).toEqual(unavailable);
  });

  it('does not ask without a refresh token', async () => {
    const fetchImpl = vi.fn<typeof fetch>();
    expect(await renew(fetchImpl, session(staffToken(NOW, 1800)))).toEqual({ kind: 'rejected' });
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('keeps the refresh token the code exchange returns', async () => {
    const outcome = await completeCallback({
      query: new URLSearchParams('code=abc&state=s1'),
      pending: { state: 's1', verifier: 'v', pool: 'staff', returnTo: '/caseworker' },
      config: cognitoConfig(),
      origin: 'https://console.example.cn',
      fetchImpl: async () => json({ id_token: staffToken(NOW, 1800), refresh_token: 'rt-from-code' }),
      nowMs: NOW,
    });
    expect(outcome.kind === 'signed-in' && outcome.session.refreshToken).toBe('rt-from-code');
  });

  it('revokes on sign-out with the token and the client id, outliving the page', () => {
    const { url, init } = revokeRequest(cognitoConfig().pools.staff, 'rt-1');
    expect(url).toBe(`${STAFF_DOMAIN}/oauth2/revoke`);
    expect(init.keepalive).toBe(true);
    expect(Object.fromEntries(new URLSearchParams(String(init.body)))).toEqual({
      token: 'rt-1',
      client_id: 'staffclient0123456789abcdef',
    });
  });
});

type SessionModule = typeof import('../../web/src/session.ts');

describe('the session renews itself', () => {
  let s: SessionModule;
  beforeEach(async () => {
    vi.useFakeTimers({ now: NOW });
    vi.resetModules();
    s = await import('../../web/src/session.ts');
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A renewer that answers each call with a fresh 20-second token (or the outcome given). */
  function renewer(outcome?: RenewOutcome) {
    return vi.fn(async (from: Session): Promise<RenewOutcome> => {
      if (outcome) return outcome;
      return { kind: 'renewed', session: { ...from, token: staffToken(Date.now(), 20) } };
    });
  }

  it('a fifth of a short lifetime before expiry, and two minutes before a long one', () => {
    expect(s.renewAtMs(staffToken(NOW, 20))).toBe(NOW + 16_000);
    expect(s.renewAtMs(staffToken(NOW, 1800))).toBe(NOW + 1800_000 - 120_000);
  });

  it('renews before the ID token expires, again and again, without a sign-in', async () => {
    const renew = renewer();
    s.installRenewal(renew);
    s.setSession(session(staffToken(NOW, 20), 'rt-1'));
    await vi.advanceTimersByTimeAsync(15_999);
    expect(renew).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(renew).toHaveBeenCalledTimes(1);
    // past the first token's expiry the tab is still signed in, with a newer token
    await vi.advanceTimersByTimeAsync(60_000);
    expect(renew.mock.calls.length).toBeGreaterThanOrEqual(4);
    const now = s.getSession();
    expect(now?.user.sub).toBe('cw-1');
    expect(now?.refreshToken).toBe('rt-1');
    expect(now?.token).not.toBe(staffToken(NOW, 20));
  });

  it('renews no more often than every five seconds when the browser clock runs ahead', async () => {
    // each new token looks as good as expired to a clock 29.9 minutes fast
    const renew = vi.fn(
      async (from: Session): Promise<RenewOutcome> => ({
        kind: 'renewed',
        session: { ...from, token: staffToken(Date.now() - 1794_000, 1800) },
      }),
    );
    s.installRenewal(renew);
    s.setSession(session(staffToken(NOW - 1794_000, 1800), 'rt-1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(renew).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(s.MIN_RENEW_INTERVAL_MS - 1);
    expect(renew).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(renew).toHaveBeenCalledTimes(2);
  });

  it('serves concurrent callers with one renewal', async () => {
    let answer: (o: RenewOutcome) => void = () => undefined;
    const renew = vi.fn(() => new Promise<RenewOutcome>((ok) => (answer = ok)));
    s.installRenewal(renew);
    const first = staffToken(NOW, 1800);
    s.setSession(session(first, 'rt-1'));
    const waiting = [s.renewSession(first), s.renewSession(first), s.renewSession(first)];
    const fresh = session(staffToken(NOW, 1800, { jti: 'second' }), 'rt-1');
    answer({ kind: 'renewed', session: fresh });
    expect(await Promise.all(waiting)).toEqual([fresh, fresh, fresh]);
    expect(renew).toHaveBeenCalledTimes(1);
    // a request refused with the old token after the renewal gets the new one, not another renewal
    expect(await s.renewSession(first)).toEqual(fresh);
    expect(renew).toHaveBeenCalledTimes(1);
  });

  it('a refused refresh token ends the session when its ID token expires', async () => {
    const renew = renewer({ kind: 'rejected' });
    s.installRenewal(renew);
    s.setSession(session(staffToken(NOW, 20), 'rt-1'));
    await vi.advanceTimersByTimeAsync(16_000);
    expect(renew).toHaveBeenCalledTimes(1);
    expect(s.getSession()?.refreshToken).toBeUndefined();
    expect(s.getSession()).not.toBeNull();
    await vi.advanceTimersByTimeAsync(4_000);
    expect(s.getSession()).toBeNull();
    expect(renew).toHaveBeenCalledTimes(1);
  });

  it('a token the API refused and a refused renewal sign the tab out at once', async () => {
    s.installRenewal(renewer({ kind: 'rejected' }));
    const token = staffToken(NOW, 1800);
    s.setSession(session(token, 'rt-1'));
    expect(await s.renewSession(token)).toBeNull();
    expect(s.getSession()).toBeNull();
  });

  it('an unanswered renewal is tried again while the session lasts', async () => {
    const renew = vi
      .fn<(from: Session) => Promise<RenewOutcome>>()
      .mockResolvedValueOnce({ kind: 'unavailable' })
      .mockImplementation(async (from) => ({
        kind: 'renewed',
        session: { ...from, token: staffToken(Date.now(), 20) },
      }));
    s.installRenewal(renew);
    s.setSession(session(staffToken(NOW, 20), 'rt-1'));
    await vi.advanceTimersByTimeAsync(16_000);
    expect(renew).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(s.RENEW_RETRY_MS);
    expect(renew).toHaveBeenCalledTimes(2);
    expect(s.getSession()).not.toBeNull();
  });

  it('a tab that slept past expiry renews before its next request', async () => {
    const renew = renewer();
    s.installRenewal(renew);
    s.setSession(session(staffToken(NOW - 60_000, 20), 'rt-1'));
    expect(s.getSession()).not.toBeNull();
    const used = await s.sessionForRequest();
    expect(renew).toHaveBeenCalledTimes(1);
    expect(used?.token).not.toBe(staffToken(NOW - 60_000, 20));
  });

  it('without a renewer (local dev IdP) a session ends at its expiry as before', async () => {
    s.installRenewal(null);
    s.setSession(session(staffToken(NOW, 20), 'rt-1'));
    await vi.advanceTimersByTimeAsync(19_999);
    expect(s.getSession()).not.toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(s.getSession()).toBeNull();
  });

  it('signing out in the middle of a renewal leaves the tab signed out', async () => {
    let answer: (o: RenewOutcome) => void = () => undefined;
    s.installRenewal(() => new Promise<RenewOutcome>((ok) => (answer = ok)));
    const token = staffToken(NOW, 1800);
    s.setSession(session(token, 'rt-1'));
    const waiting = s.renewSession(token);
    s.setSession(null);
    answer({ kind: 'renewed', session: session(staffToken(NOW, 1800, { jti: 'late' }), 'rt-1') });
    expect(await waiting).toBeNull();
    expect(s.getSession()).toBeNull();
  });
});

describe('a request the API refuses with 401', () => {
  let s: SessionModule;
  let api: typeof import('../../web/src/api.ts');
  beforeEach(async () => {
    vi.useFakeTimers({ now: NOW });
    vi.resetModules();
    s = await import('../../web/src/session.ts');
    api = await import('../../web/src/api.ts');
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  /** The API: 401 for `refused` tokens, 200 with the token's `jti` otherwise; records each call. */
  function fakeApi(refused: Set<string>) {
    const calls: Array<{ method: string; token: string }> = [];
    const fetchImpl = vi.fn(async (_url: string, init?: RequestInit) => {
      const token = String(
        (init?.headers as Record<string, string> | undefined)?.authorization ?? '',
      ).replace('Bearer ', '');
      calls.push({ method: init?.method ?? 'GET', token });
      return refused.has(token) ? json({ message: 'Unauthorized' }, 401) : json({ ok: true });
    });
    vi.stubGlobal('fetch', fetchImpl);
    return calls;
  }

  it('renews once and sends the request again (a write too) with the new token', async () => {
    const old = staffToken(NOW, 1800, { jti: 'old' });
    const fresh = staffToken(NOW, 1800, { jti: 'fresh' });
    const calls = fakeApi(new Set([old]));
    const renew = vi.fn(
      async (from: Session): Promise<RenewOutcome> => ({
        kind: 'renewed',
        session: { ...from, token: fresh },
      }),
    );
    s.installRenewal(renew);
    s.setSession(session(old, 'rt-1'));
    expect(await api.api('/applications/x/steps/y/claim', { method: 'POST', body: {} })).toEqual({
      ok: true,
    });
    expect(calls).toEqual([
      { method: 'POST', token: old },
      { method: 'POST', token: fresh },
    ]);
    expect(renew).toHaveBeenCalledTimes(1);
  });

  it('concurrent requests refused together share one renewal', async () => {
    const old = staffToken(NOW, 1800, { jti: 'old' });
    const calls = fakeApi(new Set([old]));
    const renew = vi.fn(
      async (from: Session): Promise<RenewOutcome> => ({
        kind: 'renewed',
        session: { ...from, token: staffToken(NOW, 1800, { jti: 'fresh' }) },
      }),
    );
    s.installRenewal(renew);
    s.setSession(session(old, 'rt-1'));
    await Promise.all([api.api('/a'), api.api('/b'), api.api('/c')]);
    expect(renew).toHaveBeenCalledTimes(1);
    expect(calls.filter((c) => c.token !== old)).toHaveLength(3);
  });

  it('is not sent a third time: refused again, the tab is signed out', async () => {
    const old = staffToken(NOW, 1800, { jti: 'old' });
    const fresh = staffToken(NOW, 1800, { jti: 'fresh' });
    const calls = fakeApi(new Set([old, fresh]));
    s.installRenewal(async (from) => ({ kind: 'renewed', session: { ...from, token: fresh } }));
    s.setSession(session(old, 'rt-1'));
    await expect(api.api('/a')).rejects.toMatchObject({ status: 401 });
    expect(calls).toHaveLength(2);
    expect(s.getSession()).toBeNull();
  });

  it('without a renewal (refused, or the local dev IdP) signs the tab out as before', async () => {
    const old = staffToken(NOW, 1800, { jti: 'old' });
    const calls = fakeApi(new Set([old]));
    s.installRenewal(null);
    s.setSession(session(old));
    await expect(api.api('/a')).rejects.toMatchObject({ status: 401 });
    expect(calls).toHaveLength(1);
    expect(s.getSession()).toBeNull();
  });
});
