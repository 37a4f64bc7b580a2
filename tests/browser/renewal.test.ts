/**
 * Sessions that last a working day, in Chromium with Playwright standing in for Cognito
 * (support/fake-cognito.ts): ID tokens live 20 seconds, and the console renews them with the
 * refresh-token grant, so a caseworker claims and decides after the first token has expired
 * without signing in again. When the refresh token is revoked the session ends and the console
 * asks for a sign-in; what the caseworker or the parent had typed is still there afterwards
 * (ID numbers excepted: they are never written to the browser's storage).
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { birthForm } from '../support/forms.ts';
import { a11y } from './support/browser.ts';
import { hasText, visible } from './support/expect.ts';
import {
  CITIZEN_API,
  CLIENT_IDS,
  expiryOf,
  type FakeCognito,
  fakeCognito,
  STAFF_API,
} from './support/fake-cognito.ts';
import { consoleHarness } from './support/harness.ts';
import { tokenFor } from './support/runtime.ts';

const h = consoleHarness();
const TTL_SECONDS = 20;
/** how long a web-first assertion waits (the page's own steps, not the tokens' lifetimes) */
const WAIT = { timeout: 15_000 };
const CASEWORKER = { sub: 'cw-health', role: 'caseworker', agency: 'health', name: '卫健局 张医生' };
const PARENT = { sub: 'parent-renewal', role: 'parent', name: '周敏 Zhou Min' };
const MOTHER_ID = '330382199503120249';

/** A birth application submitted over the API; its first step (the health bureau's) is open. */
async function birthApplication(): Promise<string> {
  const token = await tokenFor(h.url(), { sub: 'parent-wang', role: 'parent' });
  const res = await fetch(`${h.url()}/applications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ service: 'birth-registration', form: birthForm() }),
  });
  const body = (await res.json()) as { id: string; steps: Array<{ step: string; status: string }> };
  expect(res.status, JSON.stringify(body)).toBe(201);
  expect(body.steps.find((s) => s.step === 'birth-certificate')?.status).toBe('open');
  return body.id;
}

/** Signs in through the (fake) hosted UI from the page at `path` and comes back to it. */
async function signInThroughHostedUi(page: Page, path: string, name: string) {
  await page.getByRole('button', { name: '使用账号登录' }).click();
  await expect.poll(() => page.locator('.who').textContent(), WAIT).toContain(name);
  await expect.poll(() => new URL(page.url()).pathname, WAIT).toBe(path);
}

const sleepUntil = async (ms: number) => {
  const left = ms - Date.now();
  if (left > 0) await new Promise((r) => setTimeout(r, left));
};

/** This tab's stashed unsent input (web/src/unsaved.ts), key → value. */
const stashes = (page: Page) =>
  page.evaluate(() =>
    Object.fromEntries(
      Object.keys(sessionStorage)
        .filter((k) => k.startsWith('onestop.unsaved.'))
        .map((k) => [k, sessionStorage.getItem(k)]),
    ),
  );

/** The API's answer to a request with this token (the gateway verifies expiry for real). */
async function apiStatusWith(token: string, path: string): Promise<number> {
  const res = await fetch(`${h.url()}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return res.status;
}

/** Waits, with room for a whole token lifetime, for the console to ask for a sign-in again. */
async function signInAskedFor(page: Page) {
  await page
    .getByRole('button', { name: '使用账号登录' })
    .waitFor({ state: 'visible', timeout: (TTL_SECONDS + 20) * 1000 });
}

function refreshGrants(fake: FakeCognito) {
  return fake.tokenForms.filter((f) => f.get('grant_type') === 'refresh_token');
}

describe.sequential('sessions renew silently, and nothing typed is lost (AWS mode)', () => {
  test('a caseworker claims and decides after the first ID token expired, without signing in again', async () => {
    const id = await birthApplication();
    const path = `/caseworker/cases/${id}`;
    const page = await h.open();
    const fake = await fakeCognito(page.context(), h.url(), { user: CASEWORKER, ttlSeconds: TTL_SECONDS });
    await page.goto(`${h.url()}${path}`);
    await signInThroughHostedUi(page, path, '张医生');
    await visible(page.getByRole('button', { name: '认领' }));
    const [first] = fake.idTokens;
    if (!first) throw new Error('no ID token was issued');
    const signInForm = fake.tokenForms[0];
    expect(signInForm?.get('grant_type')).toBe('authorization_code');

    // the console renews before the token expires; then the token it started with is refused
    await expect.poll(() => refreshGrants(fake).length, { timeout: TTL_SECONDS * 1000 }).toBeGreaterThan(0);
    await sleepUntil(expiryOf(first) + 1000);
    expect(await apiStatusWith(first, `/applications/${id}`)).toBe(401);

    // …and the caseworker goes on working: claim, then decide
    await page.getByRole('button', { name: '认领' }).click();
    await hasText(page.locator('main'), '已认领。');
    await page.getByLabel('证书编号').fill('Q330123456');
    await page.getByRole('button', { name: '确认通过' }).click();
    await hasText(page.locator('main'), '已通过。');

    const claim = fake.apiCalls.find(
      (c) => c.method === 'POST' && c.path === `/applications/${id}/steps/birth-certificate/claim`,
    );
    const decision = fake.apiCalls.find(
      (c) => c.method === 'POST' && c.path === `/applications/${id}/steps/birth-certificate/decision`,
    );
    expect(claim?.status).toBe(200);
    expect(decision?.status).toBe(200);
    expect(claim?.token).toBeDefined();
    expect(claim?.token).not.toBe(first);
    expect(fake.idTokens).toContain(claim?.token);
    // no second sign-in: one trip to the hosted UI, the rest were refresh-token grants by the staff client
    expect(fake.authorize).toHaveLength(1);
    for (const form of refreshGrants(fake)) {
      expect(form.get('client_id')).toBe(CLIENT_IDS.staff);
      expect(form.get('refresh_token')).toMatch(/^refresh-/);
      expect(form.has('client_secret')).toBe(false);
    }
    expect(fake.apiCalls.every((c) => c.status !== 401)).toBe(true);
    expect(fake.apiCalls.some((c) => c.path.startsWith('/applications') && !c.token)).toBe(false);
    // the caseworker's requests went to the staff API (the catalog is read anonymously)
    const signed = fake.apiCalls.filter((c) => c.token);
    expect(signed.length).toBeGreaterThan(0);
    expect(signed.every((c) => c.origin === STAFF_API)).toBe(true);

    // signing out revokes the refresh token at Cognito
    await page.getByRole('button', { name: '退出登录' }).click();
    await expect.poll(() => fake.revoked, WAIT).toEqual([refreshGrants(fake)[0]?.get('refresh_token')]);
    await h.closeAll();
  });

  test('a decision typed before the session expired and its refresh token was revoked survives the sign-in', async () => {
    const id = await birthApplication();
    const path = `/caseworker/cases/${id}`;
    const page = await h.open();
    const fake = await fakeCognito(page.context(), h.url(), { user: CASEWORKER, ttlSeconds: TTL_SECONDS });
    await page.goto(`${h.url()}${path}`);
    await signInThroughHostedUi(page, path, '张医生');
    await page.getByRole('button', { name: '认领' }).click();
    await hasText(page.locator('main'), '已认领。');

    const note = '出生医学证明上的出生时间与医院记录不一致，请到助产机构核对后重新提交。';
    await page.getByLabel('不予办理（退回）').check();
    await page.getByLabel('退回原因').selectOption('other');
    await page.getByLabel('说明', { exact: true }).fill(note);

    // the refresh token stops working (revoked, or past its 10 hours): the session runs out
    fake.revokeAll();
    await signInAskedFor(page);
    expect(fake.refusedRefreshes).toBeGreaterThan(0);
    await h.a11yOk(page, 'renewal: sign-in asked for after the session ended');

    await signInThroughHostedUi(page, path, '张医生');
    expect(fake.authorize).toHaveLength(2);
    // the decision as it was left
    await expect.poll(() => page.getByLabel('说明', { exact: true }).inputValue(), WAIT).toBe(note);
    expect(await page.getByLabel('不予办理（退回）').isChecked()).toBe(true);
    expect(await page.getByLabel('退回原因').inputValue()).toBe('other');

    // sent, it is forgotten
    await page.getByRole('button', { name: '确认退回' }).click();
    await hasText(page.locator('main'), '已退回。');
    await expect.poll(() => stashes(page), WAIT).toEqual({});
    const decision = fake.apiCalls.find(
      (c) => c.method === 'POST' && c.path === `/applications/${id}/steps/birth-certificate/decision`,
    );
    expect(decision?.status).toBe(200);
    await h.closeAll();
  });

  test("a parent's unsaved form input survives the sign-in, and the ID number is never stored in the browser", async () => {
    const page = await h.open();
    const fake = await fakeCognito(page.context(), h.url(), { user: PARENT, ttlSeconds: TTL_SECONDS });
    // draft saves fail meanwhile (the store is busy): the input exists only in the page
    const failSaves = (route: import('playwright-core').Route) =>
      route.fulfill({
        status: 503,
        headers: { 'retry-after': '5', 'access-control-allow-origin': h.url() },
        json: { error: { code: 'UNAVAILABLE', message: 'busy' } },
      });
    await page.context().route(`${CITIZEN_API}/drafts/**`, failSaves);

    const path = '/parent/apply/birth-registration';
    await page.goto(`${h.url()}${path}`);
    await signInThroughHostedUi(page, path, '周敏');
    const heading = page.locator('#section-heading');
    const next = () => page.getByRole('button', { name: /^(下一步|核对信息)$/ }).click();
    await hasText(heading, '办理事项');
    await next();
    await hasText(heading, '孩子信息');
    await page.getByLabel('孩子姓名').fill('王小明');
    await page.getByLabel('男', { exact: true }).check();
    const birth = new Date(Date.now() + 8 * 3600_000 - 3 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('出生时间').fill(`${birth}T08:30`);
    await page.getByLabel('出生体重').fill('3350');
    await page.getByLabel('助产机构').selectOption('yq-mch');
    await next();
    await hasText(heading, '母亲信息');
    await page.getByLabel('母亲姓名').fill('王丽');
    await page.getByLabel('身份证号').fill(MOTHER_ID);
    await hasText(page.locator('.save-note'), '草稿暂时未能保存');

    fake.revokeAll();
    await signInAskedFor(page);
    // kept in the tab: the name, never the ID number
    const kept = JSON.stringify(await stashes(page));
    expect(kept).toContain('王丽');
    expect(kept).not.toContain(MOTHER_ID);
    expect(
      await page.evaluate((id) => Object.values(sessionStorage).some((v) => v.includes(id)), MOTHER_ID),
    ).toBe(false);

    await page.context().unroute(`${CITIZEN_API}/drafts/**`, failSaves);
    await signInThroughHostedUi(page, path, '周敏');
    await hasText(heading, '母亲信息');
    expect(await page.getByLabel('母亲姓名').inputValue()).toBe('王丽');
    expect(await page.getByLabel('身份证号').inputValue()).toBe('');
    await page.getByRole('button', { name: /孩子信息/ }).click();
    await expect.poll(() => page.getByLabel('孩子姓名').inputValue(), WAIT).toBe('王小明');
    // the restored input goes to the server draft, and the tab's copy is dropped
    const saved = () =>
      fake.apiCalls.some((c) => c.method === 'PUT' && c.path.startsWith('/drafts/') && c.status < 300);
    await expect.poll(saved, WAIT).toBe(true);
    await expect.poll(() => stashes(page), WAIT).toEqual({});
    await h.closeAll();
  });

  test('axe-core: no serious or critical violations on these pages', () => {
    expect(a11y.checked.length).toBeGreaterThanOrEqual(1);
    expect(a11y.findings).toEqual([]);
  });
});
