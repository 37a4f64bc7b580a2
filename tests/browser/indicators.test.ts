/**
 * The plan's indicator board and the yearly monitoring report in Chromium against `npm start`
 * (issue 17), as an auditor, in zh-CN and en: figures from a birth application and births an
 * admin entered, traffic lights, the trend chart, axe-core clean, the CSV downloaded; the
 * charting code is not loaded outside the auditor's pages. Screenshots go to screenshots/.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { screenshot, type ViewportName } from './support/browser.ts';
import { hasText, textIs, visible } from './support/expect.ts';
import { consoleHarness } from './support/harness.ts';
import { tokenFor } from './support/runtime.ts';

const h = consoleHarness();
const { open, closeAll, a11yOk } = h;

const chinaNow = () => new Date(Date.now() + 8 * 3600_000);
const year = chinaNow().getUTCFullYear();
const month = chinaNow().toISOString().slice(0, 7);

async function call(claims: Record<string, string>, method: string, path: string, body?: unknown) {
  const token = await tokenFor(h.url(), claims);
  const res = await fetch(`${h.url()}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

const admin = { sub: 'admin-1', role: 'admin' };
const aud = { sub: 'auditor-1', role: 'auditor', name: '审计 钱审计员' };

async function auditorPage(lang: 'zh-CN' | 'en', viewport: ViewportName = 'desktop'): Promise<Page> {
  return open({ lang, viewport, session: { token: await tokenFor(h.url(), aud), user: aud } });
}

describe.sequential('the plan indicator board and the yearly report (auditor)', () => {
  beforeAll(async () => {
    const births = await call(admin, 'POST', '/admin/reference/births/import', {
      csv: `hospital,month,births\nyq-mch,${month},4\nyq-people,${month},6`,
    });
    expect(births.status, JSON.stringify(births.body)).toBe(200);
    const eligible = await call(admin, 'PUT', `/admin/reference/eligible/rehab-aid:${year}`, {
      version: 0,
      values: { children: 25, under7: 10 },
    });
    expect(eligible.status, JSON.stringify(eligible.body)).toBe(200);
    const form = JSON.parse(readFileSync('tests/fixtures/forms/birth-registration.json', 'utf8'));
    form.child.birthAt = `${new Date(Date.now() + 8 * 3600_000 - 2 * 86_400_000).toISOString().slice(0, 10)}T08:30:00+08:00`;
    const app = await call({ sub: 'parent-wang', role: 'parent' }, 'POST', '/applications', {
      service: 'birth-registration',
      form,
    });
    expect(app.status, JSON.stringify(app.body)).toBe(201);
  }, 60_000);

  test('the board (zh-CN): values, targets, traffic lights, trend, breakdown by hospital', async () => {
    const page = await auditorPage('zh-CN');
    await page.goto(`${h.url()}/auditor/indicators`);
    const uptake = page.locator('[data-indicator="birth-uptake"]');
    await visible(uptake);
    // 1 application at 妇幼保健院 ÷ (4 + 6) births
    await textIs(page.getByTestId('value-birth-uptake'), '10%');
    await hasText(uptake.locator('[data-assessment]').first(), '未达标');
    await hasText(uptake, '≥ 100%');
    await visible(uptake.locator('canvas[role="img"]'));
    expect(await uptake.locator('canvas').getAttribute('aria-label')).toMatch(/2021: .*2025: /);
    await uptake.getByText('分项数据').click();
    await textIs(uptake.locator('tr[data-key="yq-mch"] td').first(), '25%');
    await textIs(uptake.locator('tr[data-key="yq-people"] td').first(), '0%');
    await textIs(uptake.locator('tr[data-key="yq-tcm"] td').first(), '无数据');
    // rehab coverage: no child aided yet of the 25 registered
    await textIs(page.getByTestId('value-rehab-coverage'), '0%');
    await hasText(page.locator('[data-indicator="rehab-coverage"]'), '312');
    // places per 1,000 residents from the seeded nursery register
    await textIs(page.getByTestId('value-childcare-places-per-1000'), /^\d+(\.\d+)? 个\/千人$/);
    await a11yOk(page, 'auditor: indicator board (zh-CN)');
    await screenshot(page, 'auditor-indicators-zh-CN-desktop');
    await closeAll();
  });

  test('the yearly report (zh-CN): tables, notes, printable, CSV download', async () => {
    const page = await auditorPage('zh-CN');
    await page.goto(`${h.url()}/auditor/report?year=${year}`);
    await visible(page.getByTestId('yearly-summary'));
    await hasText(page.locator('h1').locator('..'), `${year} 年度监测报告`);
    await textIs(page.locator('[data-testid="yearly-hospital"] tr[data-key="yq-mch"] td').nth(0), '4');
    await textIs(page.locator('[data-testid="yearly-hospital"] tr[data-key="yq-mch"] td').nth(1), '25%');
    await visible(page.locator('[data-testid="yearly-township"] tr[data-key="liushi"]'));
    await hasText(page.locator('#yr-notes').locator('..'), '数据来源');
    await a11yOk(page, 'auditor: yearly report (zh-CN)');
    await screenshot(page, 'auditor-yearly-zh-CN-desktop');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载 CSV（统计部门）' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`monitoring-report-${year}.csv`);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    expect(csv).toContain('birth-uptake,"出生""一件事""办理率",%,,10,1,10,>=100,behind');
    expect(csv).toMatch(/\nyq-mch,乐清市妇幼保健院,4,25,/);
    // printing hides the navigation and the buttons
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.no-print').isVisible()).toBe(false);
    await screenshot(page, 'auditor-yearly-zh-CN-print');
    await closeAll();
  });

  test('both pages in English, desktop and phone, axe clean', async () => {
    for (const viewport of ['desktop', 'phone'] as ViewportName[]) {
      const page = await auditorPage('en', viewport);
      await page.goto(`${h.url()}/auditor/indicators`);
      await textIs(page.getByTestId('value-birth-uptake'), '10%');
      await hasText(page.locator('[data-indicator="birth-uptake"] [data-assessment]').first(), 'Behind');
      await hasText(page.locator('h1'), 'Plan indicator board');
      await a11yOk(page, `auditor: indicator board (en, ${viewport})`);
      await screenshot(page, `auditor-indicators-en-${viewport}`);
      await page.getByRole('link', { name: 'Open the yearly report' }).click();
      await visible(page.getByTestId('yearly-summary'));
      await hasText(page.getByTestId('yearly-summary'), 'met');
      await a11yOk(page, `auditor: yearly report (en, ${viewport})`);
      await screenshot(page, `auditor-yearly-en-${viewport}`);
      await closeAll();
    }
  });

  test('the charting code loads only on the auditor pages', async () => {
    const page = await open({ lang: 'zh-CN' });
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await page.goto(`${h.url()}/`);
    await visible(page.locator('h1'));
    await page.goto(`${h.url()}/parent`);
    await page.waitForLoadState('networkidle');
    expect(scripts.some((s) => /chart|IndicatorBoard|Dashboard/.test(s))).toBe(false);
    await closeAll();
    const auditor = await auditorPage('zh-CN');
    const loaded: string[] = [];
    auditor.on('request', (r) => {
      if (r.resourceType() === 'script') loaded.push(new URL(r.url()).pathname);
    });
    await auditor.goto(`${h.url()}/auditor/indicators`);
    await visible(auditor.getByTestId('value-birth-uptake'));
    expect(loaded.some((s) => /chart/.test(s))).toBe(true);
    await closeAll();
  });
});
