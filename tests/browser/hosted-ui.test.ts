/**
 * The AWS sign-in path in Chromium, without AWS: the console gets a cognito-mode config.json, and
 * Playwright stands in for what only AWS has — the Cognito hosted UI (authorize, token, logout
 * endpoints, checking PKCE for real) and the two API domains (forwarded to the local runtime,
 * whose gateway verifies the ID token the fake token endpoint hands out: a dev-IdP token with
 * the claims a citizen-pool ID token carries). A real browser then runs the whole redirect flow.
 */
import { createHash } from 'node:crypto';
import type { BrowserContext, Route } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { a11y } from './support/browser.ts';
import { hasText } from './support/expect.ts';
import { consoleHarness } from './support/harness.ts';
import { tokenFor } from './support/runtime.ts';

const h = consoleHarness();
const CITIZEN_AUTH = 'https://onestop-test-citizens.auth.ap-southeast-1.amazoncognito.com';
const STAFF_AUTH = 'https://onestop-test-staff.auth.ap-southeast-1.amazoncognito.com';
const CITIZEN_API = 'https://citizen-api.example.test';
const STAFF_API = 'https://staff-api.example.test';
const config = {
  auth: 'cognito',
  stage: 'test',
  region: 'ap-southeast-1',
  citizenApiUrl: CITIZEN_API,
  citizenUserPoolId: 'ap-southeast-1_Citizens1',
  citizenClientId: 'citizenclient1',
  citizenAuthDomain: CITIZEN_AUTH,
  staffApiUrl: STAFF_API,
  staffUserPoolId: 'ap-southeast-1_Staff1',
  staffClientId: 'staffclient1',
  staffAuthDomain: STAFF_AUTH,
};
const PARENT = {
  sub: 'cognito-parent-1',
  role: 'parent',
  name: '周敏 Zhou Min',
  email: 'zhou.min@example.com',
};

/** What the fake hosted UI saw. */
interface Seen {
  authorize: URL[];
  tokenForms: URLSearchParams[];
  logouts: URL[];
  apiCalls: string[];
}

const base64Url = (b: Buffer) =>
  b.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

async function cognitoMode(ctx: BrowserContext): Promise<Seen> {
  const seen: Seen = { authorize: [], tokenForms: [], logouts: [], apiCalls: [] };
  const challenges = new Map<string, string>();
  const origin = h.url();
  await ctx.route(`${origin}/config.json`, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(config) }),
  );
  // the two API domains: forwarded to the local runtime (CORS preflights included)
  for (const api of [CITIZEN_API, STAFF_API]) {
    await ctx.route(`${api}/**`, async (route: Route) => {
      const url = new URL(route.request().url());
      seen.apiCalls.push(`${route.request().method()} ${url.origin}${url.pathname}`);
      const response = await route.fetch({ url: `${origin}${url.pathname}${url.search}` });
      await route.fulfill({
        response,
        headers: {
          ...response.headers(),
          'access-control-allow-origin': origin,
          'access-control-allow-headers': 'authorization,content-type,accept-language,idempotency-key',
          'access-control-allow-methods': 'GET,POST,PUT,DELETE,OPTIONS',
        },
      });
    });
  }
  for (const domain of [CITIZEN_AUTH, STAFF_AUTH]) {
    await ctx.route(`${domain}/oauth2/authorize**`, (route) => {
      const url = new URL(route.request().url());
      seen.authorize.push(url);
      const code = `code-${seen.authorize.length}`;
      challenges.set(code, url.searchParams.get('code_challenge') ?? '');
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.search = new URLSearchParams({ code, state: url.searchParams.get('state') ?? '' }).toString();
      return route.fulfill({ status: 302, headers: { location: back.toString() } });
    });
    await ctx.route(`${domain}/oauth2/token`, async (route) => {
      const form = new URLSearchParams(route.request().postData() ?? '');
      seen.tokenForms.push(form);
      const verifier = form.get('code_verifier') ?? '';
      const pkceOk =
        challenges.get(form.get('code') ?? '') === base64Url(createHash('sha256').update(verifier).digest());
      const headers = { 'access-control-allow-origin': origin };
      if (!pkceOk || form.get('grant_type') !== 'authorization_code') {
        return route.fulfill({ status: 400, headers, json: { error: 'invalid_grant' } });
      }
      const idToken = await tokenFor(origin, PARENT);
      return route.fulfill({
        status: 200,
        headers,
        json: { id_token: idToken, access_token: 'not-used', token_type: 'Bearer', expires_in: 3600 },
      });
    });
    await ctx.route(`${domain}/logout**`, (route) => {
      const url = new URL(route.request().url());
      seen.logouts.push(url);
      return route.fulfill({ status: 302, headers: { location: url.searchParams.get('logout_uri') ?? '/' } });
    });
  }
  return seen;
}

describe.sequential('Cognito hosted-UI sign-in (AWS mode) in Chromium', () => {
  test('a parent signs in through the hosted UI with PKCE, uses the citizen API, and signs out there', async () => {
    const page = await h.open();
    const seen = await cognitoMode(page.context());
    await page.goto(`${h.url()}/parent/applications`);
    await h.a11yOk(page, 'hosted UI: parent sign-in');
    await page.getByRole('button', { name: '使用账号登录' }).click();

    // back from the hosted UI, signed in, on the page the parent asked for
    await expect.poll(() => page.locator('.who').textContent()).toContain('周敏');
    await page.waitForURL(`${h.url()}/parent/applications`);
    const [authorize] = seen.authorize;
    expect(authorize?.origin).toBe(CITIZEN_AUTH);
    expect(Object.fromEntries(authorize?.searchParams ?? [])).toMatchObject({
      response_type: 'code',
      client_id: 'citizenclient1',
      redirect_uri: `${h.url()}/auth/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
      lang: 'zh-CN',
    });
    expect(seen.tokenForms).toHaveLength(1);
    expect(seen.tokenForms[0]?.get('client_id')).toBe('citizenclient1');
    // the parent's requests went to the citizen API (and reached the real runtime)
    await expect.poll(() => seen.apiCalls.some((c) => c === `GET ${CITIZEN_API}/applications`)).toBe(true);
    expect(seen.apiCalls.some((c) => c.includes(STAFF_API))).toBe(false);
    await hasText(page.locator('main'), '我的申请');

    // signing out ends the hosted-UI session too and comes back to the front page
    await page.getByRole('button', { name: '退出登录' }).click();
    await expect.poll(() => seen.logouts.length).toBe(1);
    expect(seen.logouts[0]?.searchParams.get('client_id')).toBe('citizenclient1');
    await page.waitForURL(`${h.url()}/`);
    expect(await page.evaluate(() => sessionStorage.getItem('onestop.session'))).toBeNull();
    await h.closeAll();
  });

  test('a callback whose state does not match this tab is refused, and the code is never exchanged', async () => {
    const page = await h.open();
    const seen = await cognitoMode(page.context());
    await page.goto(`${h.url()}/auth/callback?code=stolen-code&state=not-mine`);
    await hasText(page.locator('main'), '登录未完成');
    await h.a11yOk(page, 'hosted UI: refused callback');
    expect(seen.tokenForms).toEqual([]);
    expect(await page.evaluate(() => sessionStorage.getItem('onestop.session'))).toBeNull();
    await h.closeAll();
  });

  test('staff sign in with the staff pool', async () => {
    const page = await h.open();
    const seen = await cognitoMode(page.context());
    await page.goto(`${h.url()}/caseworker`);
    await page.getByRole('button', { name: '使用账号登录' }).click();
    await expect.poll(() => seen.authorize.length).toBe(1);
    expect(seen.authorize[0]?.origin).toBe(STAFF_AUTH);
    expect(seen.authorize[0]?.searchParams.get('client_id')).toBe('staffclient1');
    await h.closeAll();
  });

  test('axe-core: no serious or critical violations on these pages', () => {
    expect(a11y.checked.length).toBeGreaterThanOrEqual(2);
    expect(a11y.findings).toEqual([]);
  });
});
