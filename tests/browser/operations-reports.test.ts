/**
 * The auditor's operations reports in Chromium against the real `npm start` runtime (issue 17
 * item 3): SLA breaches, throughput per day and open cases for 康复救助 after a few cases seeded
 * through the API. The figures shown are the API's JSON for the same query; the filters change
 * the queries sent; the CSV downloaded is the API's CSV; a reversed period shows the API's field
 * error at the date field; loading, empty and error states render; zh-CN and en, axe clean.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { chinaYear } from '#services/rehab-aid/eligibility';
import { fixtureForm } from '../support/forms.ts';
import { screenshot } from './support/browser.ts';
import { hasText, textIs, visible } from './support/expect.ts';
import { consoleHarness } from './support/harness.ts';
import { tokenFor } from './support/runtime.ts';

const h = consoleHarness();
const { open, closeAll, a11yOk, signInAs } = h;

const chinaDate = (days = 0) =>
  new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
const from = chinaDate(-30);
const to = chinaDate(0);
const auditor = { sub: 'auditor-1', role: 'auditor', name: '审计 钱审计员' };
const township = { sub: 'cw-dpf-liushi', role: 'caseworker', agency: 'dpf-township', township: 'liushi' };

async function call(claims: Record<string, string>, method: string, path: string, body?: unknown) {
  const token = await tokenFor(h.url(), claims);
  const res = await fetch(`${h.url()}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // CSV
  }
  return { status: res.status, body: json, text };
}
const report = async (path: string) => {
  const r = await call(auditor, 'GET', path);
  expect(r.status, r.text).toBe(200);
  return r.body;
};

async function rehabCase(parent: string): Promise<string> {
  const form = fixtureForm('rehab-aid');
  form.application.aidYear = chinaYear(new Date());
  const created = await call({ sub: parent, role: 'parent' }, 'POST', '/applications', {
    service: 'rehab-aid',
    form,
  });
  expect(created.status, created.text).toBe(201);
  return created.body.id;
}

/** The auditor on the operations page, 康复救助 chosen and shown. */
async function operations(lang: 'zh-CN' | 'en', viewport: 'desktop' | 'phone' = 'desktop'): Promise<Page> {
  const page = await open({ lang, viewport });
  await signInAs(page, 'auditor', '审计');
  await page.getByRole('link', { name: lang === 'en' ? 'Operations' : '运行报表' }).click();
  await page.locator('#ops-service').selectOption('rehab-aid');
  await page.getByRole('button', { name: lang === 'en' ? 'Show' : '查询', exact: true }).click();
  return page;
}

describe.sequential('operations reports (auditor)', () => {
  beforeAll(async () => {
    // two families apply; the township refuses one: 2 submitted, 1 decision, 1 settled, 1 open
    const refused = await rehabCase('parent-wang');
    await rehabCase('parent-li');
    const decided = await call(township, 'POST', `/applications/${refused}/steps/township-review/decision`, {
      decision: 'reject',
      reason: 'not-resident',
    });
    expect(decided.status, decided.text).toBe(200);
    // the statistics follow the event stream: wait until the reports hold the seeded cases
    const seeded = async () => {
      const tp = await report(`/reports/throughput?service=rehab-aid&from=${from}&to=${to}`);
      const oc = await report('/reports/open-cases?service=rehab-aid');
      return tp.totals.submitted >= 2 && tp.totals.settled >= 1 && oc.total >= 1;
    };
    const until = Date.now() + 30_000;
    while (!(await seeded()) && Date.now() < until) await new Promise((r) => setTimeout(r, 500));
    expect(await seeded()).toBe(true);
  }, 90_000);

  test('the figures shown are the API’s for the same query (zh-CN); filters change the queries', async () => {
    const page = await operations('zh-CN');
    await hasText(page.locator('h1'), '运行报表');
    const tp = await report(`/reports/throughput?service=rehab-aid&from=${from}&to=${to}`);
    const sla = await report(`/reports/sla-breaches?service=rehab-aid&from=${from}&to=${to}&groupBy=step`);
    const oc = await report('/reports/open-cases?service=rehab-aid&groupBy=township');
    for (const k of ['submitted', 'settled', 'decisions', 'infoRequests']) {
      await textIs(page.locator(`[data-testid="ops-tp-totals"] dd[data-total="${k}"]`), String(tp.totals[k]));
    }
    expect(tp.totals.submitted).toBeGreaterThanOrEqual(2);
    const overall = page.locator('[data-testid="ops-sla"] tr[data-key="overall"]');
    await textIs(overall.locator('[data-col="decided"]'), String(sla.overall.decided));
    await textIs(overall.locator('[data-col="breaches"]'), String(sla.overall.breaches));
    const review = sla.steps.find((s: { step: string }) => s.step === 'township-review');
    await textIs(
      page.locator('[data-testid="ops-sla"] tr[data-key="township-review"] [data-col="decided"]'),
      String(review.decided),
    );
    await textIs(page.locator('[data-testid="ops-open-totals"] dd[data-total="open"]'), String(oc.total));
    expect(oc.total).toBeGreaterThanOrEqual(1);
    const ocStep = oc.steps[0];
    await textIs(
      page.locator(`[data-testid="ops-open-steps"] tr[data-key="${ocStep.key}"] [data-col="open"]`),
      String(ocStep.open),
    );
    // the charts: canvases whose text alternative lists the figures
    for (const id of ['ops-sla-chart', 'ops-tp-chart', 'ops-open-chart']) await visible(page.getByTestId(id));
    expect(await page.getByTestId('ops-tp-chart').getAttribute('aria-label')).toContain(
      `提交 ${tp.days.at(-1).submitted}`,
    );
    await a11yOk(page, 'auditor: operations reports (zh-CN)');
    await screenshot(page, 'auditor-operations-zh-CN-desktop');

    // group the deadlines by township and keep to 柳市镇: the queries follow
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/reports/')) sent.push(r.url());
    });
    await page.locator('#ops-group').selectOption('township');
    await page.locator('#ops-township').selectOption('liushi');
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await expect
      .poll(() => sent.find((u) => u.includes('/reports/sla-breaches')))
      .toMatch(/groupBy=township&township=liushi/);
    await expect.poll(() => sent.find((u) => u.includes('/reports/throughput'))).toMatch(/township=liushi/);
    await expect.poll(() => sent.find((u) => u.includes('/reports/open-cases'))).toMatch(/township=liushi/);
    const byTownship = await report(
      `/reports/sla-breaches?service=rehab-aid&from=${from}&to=${to}&groupBy=township&township=liushi`,
    );
    const liushi = byTownship.groups.find(
      (g: { step: string; township: string }) => g.step === 'overall' && g.township === 'liushi',
    );
    await hasText(page.locator('[data-testid="ops-sla"] th[scope="col"]').first(), '乡镇（街道）');
    await textIs(
      page.locator('[data-testid="ops-sla"] tr[data-key="liushi"] [data-col="decided"]'),
      String(liushi.decided),
    );
    const tpLiushi = await report(
      `/reports/throughput?service=rehab-aid&from=${from}&to=${to}&township=liushi`,
    );
    await textIs(
      page.locator('[data-testid="ops-tp-totals"] dd[data-total="submitted"]'),
      String(tpLiushi.totals.submitted),
    );

    // by agency, one agency (a service module's own, named as the reference data keeps it)
    sent.length = 0;
    await page.locator('#ops-group').selectOption('agency');
    await page.locator('#ops-agency').selectOption('dpf-township');
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await expect
      .poll(() => sent.find((u) => u.includes('/reports/sla-breaches')))
      .toMatch(/groupBy=agency&township=liushi&agency=dpf-township/);
    const byAgency = await report(
      `/reports/sla-breaches?service=rehab-aid&from=${from}&to=${to}&groupBy=agency&township=liushi&agency=dpf-township`,
    );
    const dpf = byAgency.groups.find((g: { agency: string }) => g.agency === 'dpf-township');
    await hasText(
      page.locator('[data-testid="ops-sla"] tr[data-key="dpf-township"] th'),
      '残联（康复救助初审）',
    );
    await textIs(
      page.locator('[data-testid="ops-sla"] tr[data-key="dpf-township"] [data-col="decided"]'),
      String(dpf.decided),
    );

    // the CSV is the API's for the same query
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载办件量 CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`throughput-rehab-aid-${from}-${to}.csv`);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const apiCsv = await call(
      auditor,
      'GET',
      `/reports/throughput?service=rehab-aid&from=${from}&to=${to}&township=liushi&format=csv`,
    );
    expect(csv).toBe(apiCsv.text);
    expect(csv.split('\n')[0]).toMatch(/^day,/);
    const [slaDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载超期统计 CSV' }).click(),
    ]);
    expect(slaDownload.suggestedFilename()).toBe(`sla-breaches-rehab-aid-${from}-${to}.csv`);
    await closeAll();
  });

  test('a reversed period shows the API’s field error at the date; a quiet period shows empty (zh-CN)', async () => {
    const page = await operations('zh-CN');
    await visible(page.locator('[data-testid="ops-tp-totals"]'));
    await page.locator('#ops-from').fill(chinaDate(0));
    await page.locator('#ops-to').fill(chinaDate(-5));
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await textIs(page.locator('#ops-to-error'), /结束日期不能早于开始日期/);
    expect(await page.locator('#ops-to').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#ops-to').getAttribute('aria-describedby')).toBe('ops-to-error');
    await hasText(page.locator('[data-testid="ops-sla"] [role="alert"]'), '请修改统计期间');
    await a11yOk(page, 'auditor: operations, bad period (zh-CN)');
    await screenshot(page, 'auditor-operations-bad-period-zh-CN');
    // a period long before the seeded cases: nothing to chart
    await page.locator('#ops-from').fill('2024-01-01');
    await page.locator('#ops-to').fill('2024-01-31');
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await hasText(page.getByTestId('ops-tp-empty'), '该期间内没有相关办件');
    await hasText(page.getByTestId('ops-sla-empty'), '该期间内没有相关办件');
    expect(await page.locator('#ops-to-error').count()).toBe(0);
    await textIs(page.locator('[data-testid="ops-tp-totals"] dd[data-total="submitted"]'), '0');
    await a11yOk(page, 'auditor: operations, empty period (zh-CN)');
    await closeAll();
  });

  test('loading and a failing report render in their section (en)', async () => {
    const page = await open({ lang: 'en' });
    await signInAs(page, 'auditor', '审计');
    // hold the open-cases answer to see the loading state; the store answers busy for throughput
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    await page.route('**/reports/open-cases?*', async (route) => {
      await held;
      await route.continue();
    });
    await page.route('**/reports/throughput?*', (route) =>
      route.fulfill({
        status: 503,
        headers: { 'retry-after': '0', 'content-type': 'application/json' },
        body: JSON.stringify({
          error: {
            code: 'UNAVAILABLE',
            message: 'busy',
            messages: { 'zh-CN': '服务繁忙，请稍后重试', en: 'The service is busy; please retry shortly' },
          },
        }),
      }),
    );
    await page.goto(`${h.url()}/auditor/operations`);
    await hasText(page.locator('[data-testid="ops-open"] [role="status"]'), 'Loading');
    await hasText(
      page.locator('[data-testid="ops-throughput"] [role="alert"]'),
      'The service is busy; please retry shortly',
    );
    release();
    await visible(page.locator('[data-testid="ops-open-totals"]'));
    await closeAll();
  });

  test('in English, desktop and phone, axe clean; the figures are the API’s', async () => {
    const tp = await report(`/reports/throughput?service=rehab-aid&from=${from}&to=${to}`);
    for (const viewport of ['desktop', 'phone'] as const) {
      const page = await operations('en', viewport);
      await hasText(page.locator('h1'), 'Operations');
      await textIs(
        page.locator('[data-testid="ops-tp-totals"] dd[data-total="submitted"]'),
        String(tp.totals.submitted),
      );
      await hasText(page.locator('[data-testid="ops-open"]'), 'By step');
      await visible(page.getByTestId('ops-open-chart'));
      await a11yOk(page, `auditor: operations reports (en, ${viewport})`);
      await screenshot(page, `auditor-operations-en-${viewport}`);
      await closeAll();
    }
  });

  test('the operations page’s code does not load for a parent', async () => {
    const page = await open({ lang: 'zh-CN' });
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await page.goto(`${h.url()}/parent`);
    await page.waitForLoadState('networkidle');
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.some((s) => /Operations|CountChart|chart/i.test(s))).toBe(false);
    await closeAll();
  });
});
