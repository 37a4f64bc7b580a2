/**
 * The AWS sign-in path in Chromium, without AWS: the console gets a cognito-mode config.json, and
 * Playwright stands in for what only AWS has — the Cognito hosted UI (authorize, token, logout
 * endpoints, checking PKCE for real) and the two API domains (forwarded to the local runtime,
 * whose gateway verifies the ID token the fake token endpoint hands out: a dev-IdP token with
 * the claims a citizen-pool ID token carries). A real browser then runs the whole redirect flow.
 */
import type { BrowserContext } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { a11y } from './support/browser.ts';
import { hasText } from './support/expect.ts';
import { CITIZEN_API, CITIZEN_AUTH, fakeCognito, STAFF_API, STAFF_AUTH } from './support/fake-cognito.ts';
import { consoleHarness } from './support/harness.ts';

const h = consoleHarness();
const PARENT = {
  sub: 'cognito-parent-1',
  role: 'parent',
  name: '周敏 Zhou Min',
  email: 'zhou.min@example.com',
};

/** The fake hosted UI and API domains for one browser context, signing in the parent. */
const cognitoMode = (ctx: BrowserContext) => fakeCognito(ctx, h.url(), { user: PARENT, ttlSeconds: 3600 });

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
    await expect
      .poll(() =>
        seen.apiCalls.some(
          (c) => c.origin === CITIZEN_API && c.method === 'GET' && c.path === '/applications',
        ),
      )
      .toBe(true);
    expect(seen.apiCalls.some((c) => c.origin === STAFF_API)).toBe(false);
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
