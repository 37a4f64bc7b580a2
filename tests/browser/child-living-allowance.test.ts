/**
 * The child-living-allowance console parts in Chromium against `npm start`: the township's
 * objection panel on the case view during the public notice, the township and city desk (create,
 * close and pay the month's batch), and the family's view of what was paid — in zh-CN and en,
 * axe-clean. The runtime restarts on the same data with the clock a month on, so the month the
 * allowance starts can be paid.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeIdNumber } from '#core/id-number';
import { fixtureForm } from '../support/forms.ts';
import { checkA11y, launchChromium, newContext } from './support/browser.ts';
import { hasText, visible } from './support/expect.ts';
import { ensureWebBuilt, type Onestop, startOnestop, tokenFor } from './support/runtime.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'onestop-allowance-browser-'));
const carer = { sub: 'parent-wang', role: 'parent', name: '王丽', email: 'wang.li@example.com' };
const township = {
  sub: 'cw-ca-liushi',
  role: 'caseworker',
  agency: 'ca-township',
  township: 'liushi',
  name: '柳市镇社会事务办 陈干事',
};
const city = { sub: 'cw-ca-city', role: 'caseworker', agency: 'ca-city', name: '市民政局儿童福利科 王科长' };

let rt: Onestop | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  ensureWebBuilt((line) => console.log(line));
  [rt, browser] = await Promise.all([startOnestop({}, { dataDir }), launchChromium()]);
}, 150_000);

afterAll(async () => {
  await browser?.close();
  expect(await rt?.stop()).toBe(0);
}, 60_000);

const url = () => (rt as Onestop).url;

async function call(claims: Record<string, string>, method: string, path: string, body?: unknown) {
  const token = await tokenFor(url(), claims);
  const res = await fetch(`${url()}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

async function pageAs(user: Record<string, string>, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
  const token = await tokenFor(url(), user);
  const ctx = await newContext(browser as Browser, { lang, session: { token, user } });
  return ctx.newPage();
}

async function a11yOk(page: Page, name: string) {
  const found = await checkA11y(page, name);
  expect.soft(found, `${name}: ${JSON.stringify(found, null, 2)}`).toEqual([]);
}

let n = 600;
async function noticeOpen(): Promise<string> {
  const form = fixtureForm('child-living-allowance');
  form.child.idNumber = makeIdNumber('330382', form.child.birthDate, String(++n));
  const app = await call(carer, 'POST', '/applications', { service: 'child-living-allowance', form });
  expect(app.status, JSON.stringify(app.body)).toBe(201);
  const id = app.body.id as string;
  const visit = await call(township, 'POST', `/applications/${id}/steps/township-review/decision`, {
    decision: 'approve',
    outputs: {
      visitDate: new Date().toISOString().slice(0, 10),
      fatherCondition: 'imprisoned',
      motherCondition: 'lost-contact',
      household: 'with-grandparents',
      findings: '入户核实属实',
    },
  });
  expect(visit.status).toBe(200);
  return id;
}

describe.sequential('the living allowance in the console', () => {
  let confirmed = '';
  let startMonth = '';

  test('the township records an objection during the notice from the case view', async () => {
    const id = await noticeOpen();
    const page = await pageAs(township);
    await page.goto(`${url()}/caseworker/cases/${id}`);
    const panel = page.locator('section[aria-labelledby="cla-objection-title"]');
    await visible(panel);
    await a11yOk(page, 'township: case during the public notice');
    await panel.getByLabel('异议内容').fill('村民反映母亲已返乡');
    await panel.getByRole('button', { name: '登记公示异议' }).click();
    await hasText(page.locator('.alert.success'), '登记公示异议');
    const after = await call(township, 'GET', `/applications/${id}`);
    expect(after.body.steps.find((s: any) => s.step === 'public-notice')).toMatchObject({
      status: 'claimed',
      reason: { code: 'objection' },
    });
    await page.context().close();

    // the township clears the objection and the city confirms: the allowance starts next month
    confirmed = await noticeOpen();
    await call(township, 'POST', `/child-allowance/applications/${confirmed}/objection`, {
      note: '核实后不成立的异议',
    });
    const cleared = await call(township, 'POST', `/applications/${confirmed}/steps/public-notice/decision`, {
      decision: 'approve',
    });
    expect(cleared.status).toBe(200);
    const done = await call(city, 'POST', `/child-allowance/applications/${confirmed}/confirm`, {});
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    startMonth = done.body.steps.find((s: any) => s.step === 'city-confirmation').outputs.startMonth;
  });

  test('the family uploads a parent’s evidence; the township opens it (the view is recorded)', async () => {
    const id = await noticeOpen();
    const page = await pageAs(carer);
    await page.goto(`${url()}/parent/applications/${id}`);
    const evidence = page.locator('section[aria-labelledby="cla-evidence-title"]');
    await hasText(evidence, '尚未上传材料');
    await evidence.getByLabel('材料类型').selectOption('father-evidence');
    await evidence.getByLabel('选择文件').setInputFiles({
      name: 'judgment.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(`%PDF-1.4\n${'%'.repeat(300)}\n%%EOF\n`),
    });
    await evidence.getByRole('button', { name: '上传' }).click();
    await hasText(page.locator('.alert.success'), 'judgment.pdf 已上传并通过检查');
    await hasText(evidence.locator('li[data-status="uploaded"]'), '父亲情况证明');
    await hasText(evidence.locator('li[data-status="uploaded"]'), '已上传');
    await a11yOk(page, 'family: evidence uploaded');
    await page.context().close();

    const desk = await pageAs(township, 'en');
    await desk.goto(`${url()}/caseworker/cases/${id}`);
    const panel = desk.locator('section[aria-labelledby="cla-evidence-title"]');
    await panel.getByRole('button', { name: 'View' }).click();
    await visible(panel.getByRole('link', { name: /Open the file/ }));
    await a11yOk(desk, 'township: evidence with a view link (en)');
    await desk.context().close();
    const events = await call(carer, 'GET', `/applications/${id}/events`);
    expect(
      events.body.items.filter((e: any) => e.type === 'document-viewed').map((e: any) => e.actor.sub),
    ).toEqual(['cw-ca-liushi']);
  });

  test('a month on, the township creates and closes the batch and the city records it paid', async () => {
    // restart on the same data with the clock in the allowance's first month
    expect(await rt?.stop()).toBe(0);
    const [y, m] = startMonth.split('-').map(Number) as [number, number];
    const inMonth = Date.UTC(y, m - 1, 10, 2);
    rt = await startOnestop({ CLOCK_OFFSET_MS: String(inMonth - Date.now()) }, { dataDir });

    const desk = await pageAs(township);
    await desk.goto(`${url()}/caseworker/allowance`);
    await desk.getByLabel('月份').fill(startMonth);
    await desk.getByRole('button', { name: '生成本月发放批次' }).click();
    const facts = desk.getByTestId('batch-facts');
    await hasText(facts, '待核对');
    await hasText(desk.getByTestId('allowance-list'), '林小雨');
    await a11yOk(desk, 'township: allowance desk with an open batch');
    await desk.getByRole('button', { name: '核对无误，关闭批次' }).click();
    await hasText(facts, '已关闭');
    await desk.context().close();

    const cityDesk = await pageAs(city, 'en');
    // The desk opens on the browser's own month (no batch there) and the city then picks the
    // allowance's month: hold back the first answer until the second has been shown, as a slow
    // network would, so the page must not let the older month's "no batch" overwrite it.
    const chosen = `/child-allowance/batches/liushi/${startMonth}`;
    let chosenAnswered!: () => void;
    const chosenDone = new Promise<void>((resolve) => {
      chosenAnswered = resolve;
    });
    await cityDesk.route(/\/child-allowance\/batches\/liushi\/\d{4}-\d{2}$/, async (route) => {
      if (new URL(route.request().url()).pathname.endsWith(chosen)) {
        await route.continue();
        setTimeout(chosenAnswered, 300);
      } else {
        await chosenDone;
        await route.continue();
      }
    });
    await cityDesk.goto(`${url()}/caseworker/allowance`);
    await cityDesk.getByLabel('Month').fill(startMonth);
    await hasText(cityDesk.getByTestId('batch-facts'), 'Closed');
    await chosenDone;
    await cityDesk.waitForTimeout(300);
    await hasText(cityDesk.getByTestId('batch-facts'), 'Closed');
    await cityDesk.unrouteAll({ behavior: 'ignoreErrors' });
    await a11yOk(cityDesk, 'city: allowance desk with a closed batch (en)');
    await cityDesk.getByLabel('Bank transfer reference').fill(`YQMZ-${startMonth}`);
    await cityDesk.getByRole('button', { name: 'Record as paid' }).click();
    await hasText(cityDesk.getByTestId('batch-facts'), 'Paid');
    await cityDesk.context().close();
  });

  test('the family sees the allowance and what was paid, in Chinese and in English', async () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const page = await pageAs(carer, lang);
      await page.goto(`${url()}/parent/applications/${confirmed}`);
      const table = page.getByTestId('allowance-payments');
      await hasText(table, startMonth);
      await hasText(table, /¥2,?130\.00/);
      await hasText(table, lang === 'zh-CN' ? '已发放' : 'Paid');
      await hasText(page.getByTestId('allowance-facts'), lang === 'zh-CN' ? '发放中' : 'Active');
      await a11yOk(page, `family: allowance and payments (${lang})`);
      await page.context().close();
    }
  });
});
