/**
 * The China stage's sign-in in Chromium: the console gets an oidc-mode config.json naming a
 * generic OpenID Connect provider run here (support/local-oidc.ts, the `oidc-provider` package),
 * reads its discovery document, and runs the authorization-code flow with PKCE through the
 * provider's own login and consent pages; ID tokens live 15 seconds, so the session renews with
 * the refresh-token grant (rotated refresh tokens) while the user works. API calls carry the
 * provider's ID tokens; the fake API domains check each one against the provider's keys before
 * forwarding to the local runtime (whose gateway knows only its dev identity provider).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasText } from './support/expect.ts';
import { consoleHarness } from './support/harness.ts';
import {
  CITIZEN_API,
  CLIENT_IDS,
  claimsOf,
  type LocalOidc,
  SCOPES,
  STAFF_API,
  startLocalOidc,
} from './support/local-oidc.ts';

const h = consoleHarness();
const TTL_SECONDS = 15;
const WAIT = { timeout: 15_000 };
const ACCOUNTS = {
  'zhou.min': { name: '周敏 Zhou Min' },
  'cw.health': { name: '卫健局 张医生', roles: ['caseworker'], agency: 'health', township: 'liushi' },
};

let op: LocalOidc | undefined;
const provider = (): LocalOidc => {
  if (!op) throw new Error('the provider is not started');
  return op;
};
beforeAll(async () => {
  op = await startLocalOidc(h.url(), { accounts: ACCOUNTS, idTokenTtlSeconds: TTL_SECONDS });
}, 30_000);
afterAll(async () => {
  await op?.stop();
});

interface StoredSession {
  token: string;
  refreshToken?: string;
  user: { sub: string; role: string; name?: string; agency?: string; township?: string };
}
const storedSession = async (page: Page): Promise<StoredSession | null> =>
  JSON.parse((await page.evaluate(() => sessionStorage.getItem('onestop.session'))) ?? 'null');

/** Signs in on the provider's own pages: its login form, then its consent page. */
async function signInAtProvider(page: Page, login: string) {
  await page.getByRole('button', { name: '使用账号登录' }).click();
  await page.waitForURL((url) => url.origin === provider().issuer);
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

describe.sequential('sign-in through a generic OIDC provider (China stage) in Chromium', () => {
  test('a parent signs in with PKCE, works past the first ID token on renewed ones, and signs out at the provider', async () => {
    const op = provider();
    const page = await h.open();
    await op.install(page.context());
    const authorizeRequests: URL[] = [];
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.origin === op.issuer && url.pathname === '/auth') authorizeRequests.push(url);
    });
    await page.goto(`${h.url()}/parent/applications`);
    await signInAtProvider(page, 'zhou.min');

    // back at the console, signed in, on the page the parent asked for
    await expect.poll(() => page.locator('.who').textContent(), WAIT).toContain('周敏');
    await page.waitForURL(`${h.url()}/parent/applications`);
    await hasText(page.locator('main'), '我的申请');
    const [authorize] = authorizeRequests;
    expect(Object.fromEntries(authorize?.searchParams ?? [])).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_IDS.citizen,
      redirect_uri: `${h.url()}/auth/callback`,
      scope: SCOPES,
      code_challenge_method: 'S256',
      ui_locales: 'zh-CN',
      // offline_access (a refresh token) is granted on a consent prompt only (OIDC Core §11)
      prompt: 'consent',
    });
    expect(op.grants).toEqual(['authorization_code']);

    // what the console keeps: the provider's ID token (signed by it, for the citizen client) and its refresh token
    const first = await storedSession(page);
    expect(first?.user).toMatchObject({ sub: 'zhou.min', role: 'parent', name: '周敏 Zhou Min' });
    expect(await op.verifyIdToken(first?.token ?? '', CLIENT_IDS.citizen)).not.toBeNull();
    expect(first?.refreshToken).toBeTruthy();
    // the parent's requests went to the citizen API with that token
    await expect
      .poll(() =>
        op.apiCalls.some((c) => c.origin === CITIZEN_API && c.path === '/applications' && c.verified),
      )
      .toBe(true);
    expect(op.apiCalls.filter((c) => c.token).every((c) => c.token === first?.token)).toBe(true);

    // before the first ID token expires the console renews it at the provider's token endpoint
    await expect.poll(() => op.grants.includes('refresh_token'), { timeout: TTL_SECONDS * 1000 }).toBe(true);
    await expect.poll(async () => (await storedSession(page))?.token, WAIT).not.toBe(first?.token);
    const renewed = await storedSession(page);
    expect(await op.verifyIdToken(renewed?.token ?? '', CLIENT_IDS.citizen)).not.toBeNull();
    expect(claimsOf(renewed?.token ?? '').sub).toBe('zhou.min');
    // the provider rotates public clients' refresh tokens: the console keeps the new one
    expect(renewed?.refreshToken).toBeTruthy();
    expect(renewed?.refreshToken).not.toBe(first?.refreshToken);

    // after the first token's expiry the parent still works, on a renewed token
    const expiry = (claimsOf(first?.token ?? '').exp as number) * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, expiry - Date.now() + 1000)));
    expect(await op.verifyIdToken(first?.token ?? '', CLIENT_IDS.citizen)).toBeNull();
    const before = op.apiCalls.length;
    await page.goto(`${h.url()}/parent/applications`);
    await hasText(page.locator('main'), '我的申请');
    await expect.poll(() => op.apiCalls.slice(before).some((c) => c.path === '/applications')).toBe(true);
    const later = op.apiCalls.slice(before).filter((c) => c.token);
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((c) => c.verified && c.status !== 401 && c.token !== first?.token)).toBe(true);

    // signing out revokes the refresh token and ends the provider's session, back to the front page
    const last = await storedSession(page);
    await page.getByRole('button', { name: '退出登录' }).click();
    await expect.poll(() => op.logouts.length, WAIT).toBe(1);
    expect(Object.fromEntries(op.logouts[0]?.searchParams ?? [])).toMatchObject({
      client_id: CLIENT_IDS.citizen,
      post_logout_redirect_uri: `${h.url()}/`,
    });
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${h.url()}/`);
    expect(await storedSession(page)).toBeNull();
    await expect.poll(() => op.revocations, WAIT).toBeGreaterThan(0);
    const refused = await fetch(`${op.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: CLIENT_IDS.citizen,
        refresh_token: last?.refreshToken ?? '',
      }),
    });
    expect(refused.status).toBe(400);
    await h.closeAll();
  });

  test('a caseworker signs in with the staff client; role, agency and township come from the claims', async () => {
    const op = provider();
    const page = await h.open();
    await op.install(page.context());
    const from = op.apiCalls.length;
    await page.goto(`${h.url()}/caseworker`);
    await signInAtProvider(page, 'cw.health');
    await expect.poll(() => page.locator('.who').textContent(), WAIT).toContain('张医生');
    await page.waitForURL(`${h.url()}/caseworker`);
    const session = await storedSession(page);
    expect(session?.user).toEqual({
      sub: 'cw.health',
      role: 'caseworker',
      agency: 'health',
      township: 'liushi',
      name: '卫健局 张医生',
    });
    expect(await op.verifyIdToken(session?.token ?? '', CLIENT_IDS.staff)).not.toBeNull();
    // the caseworker's requests went to the staff API with the staff client's token
    const calls = () => op.apiCalls.slice(from);
    await expect
      .poll(() => calls().some((c) => c.origin === STAFF_API && c.verified && c.status === 200))
      .toBe(true);
    expect(calls().filter((c) => c.token && c.origin === CITIZEN_API)).toEqual([]);
    await h.closeAll();
  });

  test('a discovery document of another issuer is refused: the console names the problem and never leaves', async () => {
    const op = provider();
    const page = await h.open();
    await op.install(page.context());
    // the console is configured with an issuer whose document says it is someone else
    const impostor = op.issuer.replace('127.0.0.1', 'localhost');
    await page
      .context()
      .route(`${h.url()}/config.json`, (route) =>
        route.fulfill({ json: { ...op.config, citizenIssuer: impostor } }),
      );
    await page.goto(`${h.url()}/parent/applications`);
    await page.getByRole('button', { name: '使用账号登录' }).click();
    await hasText(page.locator('[role=alert]'), 'is not the configured');
    expect(new URL(page.url()).origin).toBe(h.url());
    expect(await storedSession(page)).toBeNull();
    await h.closeAll();
  });
});
