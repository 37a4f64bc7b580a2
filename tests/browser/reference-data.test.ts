/**
 * The admin's reference data page in Chromium against `npm start` (issue 17), in zh-CN and en:
 * an admin changes a township's population with an effective date and sees it in the history;
 * a field error from the API is shown at its field; a change made meanwhile is a 409 explained
 * on the page; a bad births CSV shows its line errors and changes nothing. axe-core clean;
 * screenshots go to screenshots/.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { readXlsx, rowOf } from '../support/xlsx.ts';
import { screenshot, type ViewportName } from './support/browser.ts';
import { hasText, textIs, visible } from './support/expect.ts';
import { consoleHarness } from './support/harness.ts';
import { tokenFor } from './support/runtime.ts';

const h = consoleHarness();
const { open, closeAll, a11yOk } = h;

const admin = { sub: 'admin-1', role: 'admin', name: '管理员 冯管理员' };

async function adminPage(lang: 'zh-CN' | 'en', viewport: ViewportName = 'desktop'): Promise<Page> {
  return open({ lang, viewport, session: { token: await tokenFor(h.url(), admin), user: admin } });
}

async function getEntry(kind: string, id: string) {
  const token = await tokenFor(h.url(), admin);
  const res = await fetch(`${h.url()}/admin/reference/${kind}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await res.json()) as {
    entries: Array<{ id: string; version: number; current?: Record<string, unknown> }>;
  };
  return body.entries.find((e) => e.id === id);
}

describe.sequential('reference data in the admin console', () => {
  test('zh-CN: an admin changes a township population with an effective date and sees the history', async () => {
    const page = await adminPage('zh-CN');
    await page.goto(`${h.url()}/admin`);
    await hasText(page.locator('h1'), '参考数据维护');
    const row = page.locator('[data-testid="ref-townships"] tr[data-key="danxi"]');
    await textIs(row.locator('td[data-field="population"]'), '36000');
    await a11yOk(page, 'admin: reference data (zh-CN)');
    await screenshot(page, 'admin-reference-zh-CN-desktop');

    await row.getByRole('button', { name: '修改 danxi' }).click();
    const form = page.getByRole('form', { name: '修改 danxi' });
    await form.getByLabel('常住人口').fill('37500');
    await form.getByLabel('生效日期').fill('2026-07-01');
    await form.getByLabel('修改说明').fill('七普后年度更新');
    await form.getByRole('button', { name: '保存修改' }).click();
    await hasText(page.getByTestId('ref-saved'), '已保存：danxi 第 2 版，2026-07-01 起生效');

    await row.getByRole('button', { name: '修改 danxi' }).click();
    const history = page.getByTestId('history-danxi');
    await hasText(history.locator('tr[data-version="2"]'), '2026-07-01');
    await hasText(history.locator('tr[data-version="2"]'), '常住人口: 37500');
    await hasText(history.locator('tr[data-version="2"]'), 'admin-1');
    await hasText(history.locator('tr[data-version="2"]'), '七普后年度更新');
    await hasText(history.locator('tr[data-version="1"]'), '常住人口: 36000');
    await a11yOk(page, 'admin: reference history (zh-CN)');
    await screenshot(page, 'admin-reference-history-zh-CN-desktop');

    const stored = await getEntry('townships', 'danxi');
    expect(stored?.version).toBe(2);
    await closeAll();
  });

  test('the yearly report as XLSX: a valid workbook holding the report’s figures; the changed population counts from its year only', async () => {
    const aud = { sub: 'auditor-1', role: 'auditor', name: '审计 钱审计员' };
    const token = await tokenFor(h.url(), aud);
    // the workbook is made from the report the page shows: compare with that very answer
    const download = async (year: number) => {
      const page = await open({ lang: 'zh-CN', session: { token, user: aud } });
      const scripts: string[] = [];
      page.on('request', (r) => {
        if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
      });
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.url().includes(`/reports/yearly?year=${year}`)),
        page.goto(`${h.url()}/auditor/report?year=${year}`),
      ]);
      const shown = (await answer.json()) as any;
      await visible(page.getByTestId('yearly-summary'));
      // the workbook writer loads only when asked for
      expect(scripts.some((u) => /yearly-xlsx/.test(u))).toBe(false);
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: '下载 XLSX（统计部门）' }).click(),
      ]);
      expect(file.suggestedFilename()).toBe(`monitoring-report-${year}.xlsx`);
      expect(scripts.some((u) => /yearly-xlsx/.test(u))).toBe(true);
      const book = readXlsx(readFileSync((await file.path()) as string));
      await closeAll();
      return { book, shown };
    };
    const { book: y2026, shown: json } = await download(2026);
    expect(y2026.sheets.map((s) => s.name)).toEqual([
      '指标 indicators',
      '分乡镇 township',
      '分助产机构 hospital',
      '说明 notes',
    ]);
    const indicators = y2026.sheet('指标 indicators');
    for (const i of json.indicators) {
      const row = rowOf(indicators, i.id);
      expect(row[1]).toBe(i.title['zh-CN']);
      expect(row[5], i.id).toBe(i.value ?? undefined);
      expect(row[6], i.id).toBe(i.figures.numerator);
      expect(row[7], i.id).toBe(i.figures.denominator ?? undefined);
      expect(row[9], i.id).toBe(i.assessment);
    }
    // the population changed from 2026-07-01 is the 2026 figure; 2025 keeps the old one
    expect(rowOf(y2026.sheet('分乡镇 township'), 'danxi').slice(0, 4)).toEqual([
      'danxi',
      '淡溪镇',
      'Danxi Town',
      37500,
    ]);
    const hospitals = json.tables.find((t: any) => t.dimension === 'hospital');
    for (const r of hospitals.rows) {
      expect(rowOf(y2026.sheet('分助产机构 hospital'), r.key)[3], r.key).toBe(
        r.reference.births ?? undefined,
      );
    }
    const { book: y2025 } = await download(2025);
    expect(rowOf(y2025.sheet('分乡镇 township'), 'danxi')[3]).toBe(36000);
  });

  test('zh-CN: a bad value is shown at its field, and nothing is stored', async () => {
    const page = await adminPage('zh-CN');
    await page.goto(`${h.url()}/admin`);
    const row = page.locator('[data-testid="ref-townships"] tr[data-key="huwu"]');
    await row.getByRole('button', { name: '修改 huwu' }).click();
    const form = page.getByRole('form', { name: '修改 huwu' });
    await form.getByLabel('常住人口').fill('两万');
    await form.getByRole('button', { name: '保存修改' }).click();
    await visible(form.locator('.error-summary'));
    const input = form.getByLabel('常住人口');
    await expect.poll(() => input.getAttribute('aria-invalid')).toBe('true');
    await visible(form.locator('.field.has-error .field-error'));
    await a11yOk(page, 'admin: reference field error (zh-CN)');
    await screenshot(page, 'admin-reference-error-zh-CN-desktop');
    expect((await getEntry('townships', 'huwu'))?.version).toBe(1);

    // a hospital's township: the townships offered while typing; one that does not exist is refused at the field
    await page.getByRole('button', { name: '助产机构' }).click();
    const mch = page.locator('[data-testid="ref-hospitals"] tr[data-key="yq-mch"]');
    await mch.getByRole('button', { name: '修改 yq-mch' }).click();
    const hform = page.getByRole('form', { name: '修改 yq-mch' });
    expect(await hform.locator('datalist option[value="liushi"]').count()).toBe(1);
    await hform.getByLabel('所在乡镇（街道）').fill('nowhere');
    await hform.getByRole('button', { name: '保存修改' }).click();
    await hasText(hform.locator('.field.has-error .field-error'), '没有这个乡镇（街道）');
    expect((await getEntry('hospitals', 'yq-mch'))?.version).toBe(1);
    await closeAll();
  });

  test('en: a change made meanwhile is a 409 explained on the page', async () => {
    const page = await adminPage('en');
    await page.goto(`${h.url()}/admin`);
    const row = page.locator('[data-testid="ref-townships"] tr[data-key="nantang"]');
    await row.getByRole('button', { name: 'Change nantang' }).click();
    const form = page.getByRole('form', { name: 'Change nantang' });
    // another admin saves first, from the same version
    const token = await tokenFor(h.url(), { sub: 'admin-2', role: 'admin' });
    const other = await fetch(`${h.url()}/admin/reference/townships/nantang`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ version: 1, effectiveFrom: '2026-01-01', values: { population: 25500 } }),
    });
    expect(other.status).toBe(200);
    await form.getByLabel('Resident population').fill('26000');
    await form.getByRole('button', { name: 'Save the change' }).click();
    await hasText(page.getByTestId('ref-conflict'), 'Someone changed this entry meanwhile');
    await a11yOk(page, 'admin: reference conflict (en)');
    await screenshot(page, 'admin-reference-conflict-en-desktop');
    await page.getByTestId('ref-conflict').getByRole('button', { name: 'Reload' }).click();
    await textIs(row.locator('td[data-field="population"]'), '25500');
    expect((await getEntry('townships', 'nantang'))?.version).toBe(2);
    await closeAll();
  });

  test('en and zh-CN: a bad births CSV shows its line errors; a good one is imported', async () => {
    for (const [lang, viewport] of [
      ['en', 'desktop'],
      ['zh-CN', 'phone'],
    ] as const) {
      const page = await adminPage(lang, viewport);
      await page.goto(`${h.url()}/admin?kind=births`);
      const csvLabel = lang === 'en' ? 'CSV content' : 'CSV 内容';
      await page
        .getByLabel(csvLabel)
        .fill('hospital,month,births\nyq-mch,2026-02,12\nno-such,2026-02,3\nyq-people,2026-13,x');
      await page.getByRole('button', { name: lang === 'en' ? 'Import' : '导入', exact: true }).click();
      const errors = page.getByTestId('import-errors');
      await visible(errors);
      await hasText(
        errors.locator('li').first(),
        lang === 'en' ? 'Line 3: No such hospital' : '第 3 行：没有这个助产机构',
      );
      await hasText(errors, lang === 'en' ? 'Line 4' : '第 4 行');
      await a11yOk(page, `admin: births import errors (${lang}, ${viewport})`);
      await screenshot(page, `admin-births-import-errors-${lang}-${viewport}`);
      expect(await getEntry('births', 'yq-mch:2026-02')).toBeUndefined();
      await closeAll();
    }
    const page = await adminPage('zh-CN');
    await page.goto(`${h.url()}/admin?kind=births`);
    await page.getByLabel('CSV 内容').fill('yq-mch,2026-02,12\nyq-people,2026-02,20');
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await hasText(page.getByTestId('import-done'), '已导入 2 行：新记录或修改 2 行，未变 0 行。');
    await textIs(
      page.locator('[data-testid="ref-births"] tr[data-key="yq-mch:2026-02"] td[data-field="births"]'),
      '12',
    );
    await closeAll();
  });

  test('en: an admin renames an agency from a date; the console names it so; its level stays the code’s', async () => {
    const page = await adminPage('en');
    await page.goto(`${h.url()}/admin?kind=agencies`);
    const row = page.locator('[data-testid="ref-agencies"] tr[data-key="cdc"]');
    await textIs(row.locator('td[data-field="active"]'), 'yes');
    await row.getByRole('button', { name: 'Change cdc' }).click();
    const form = page.getByRole('form', { name: 'Change cdc' });
    expect(await form.getByLabel('Level').isDisabled()).toBe(true);
    await form.getByLabel('Name (English)').fill('Disease Control Centre (vaccination)');
    await form.getByLabel(/^Duty inbox e-mail/).fill('duty@cdc.example.cn');
    await form.getByLabel('Effective from').fill('2026-01-01');
    await form.getByRole('button', { name: 'Save the change' }).click();
    await hasText(page.getByTestId('ref-saved'), 'Saved: cdc version 2');
    await textIs(row.locator('td[data-field="email"]'), 'duty@cdc.example.cn');
    await row.getByRole('button', { name: 'Change cdc' }).click();
    await hasText(
      page.getByTestId('history-cdc').locator('tr[data-version="2"]'),
      'Disease Control Centre (vaccination)',
    );
    await a11yOk(page, 'admin: agencies (en)');
    await screenshot(page, 'admin-agencies-en-desktop');
    await closeAll();
    // an agency out of use is not offered to new staff
    const token = await tokenFor(h.url(), admin);
    const off = await fetch(`${h.url()}/admin/reference/agencies/service-center`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ version: 1, effectiveFrom: '2026-01-01', values: { active: false } }),
    });
    expect(off.status).toBe(200);
    // the caseworkers' sign-in names the demo users' agencies from the reference data
    const signIn = await open({ lang: 'en' });
    await signIn.goto(`${h.url()}/caseworker`);
    await hasText(signIn.locator('.user-list'), 'Disease Control Centre (vaccination)');
    const offered = await signIn
      .locator('#new-agency option')
      .evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent]));
    expect(offered).toContainEqual(['cdc', 'Disease Control Centre (vaccination)']);
    expect(offered.map(([v]) => v)).not.toContain('service-center');
    await closeAll();
  });

  test('zh-CN and en: the calendar page warns of a year without holidays; a bad date is a field error; a year entered', async () => {
    const page = await adminPage('zh-CN');
    await page.goto(`${h.url()}/admin/holidays`);
    await hasText(page.locator('h1'), '工作日历');
    const status = (await (
      await fetch(`${h.url()}/admin/calendar`, {
        headers: { authorization: `Bearer ${await tokenFor(h.url(), admin)}` },
      })
    ).json()) as { missingYears: number[] };
    const year = status.missingYears[0] ?? new Date().getUTCFullYear() + 1;
    if (status.missingYears.length) await hasText(page.getByTestId('cal-missing'), String(year));
    await page.getByLabel('年度', { exact: true }).fill(String(year));
    await page.getByLabel('放假日期（法定节假日）').fill(`${year}-01-01\n${year}-02-30\n${year - 1}-10-01`);
    await page.getByRole('button', { name: '保存日历' }).click();
    await visible(page.locator('.error-summary'));
    await expect
      .poll(() => page.getByLabel('放假日期（法定节假日）').getAttribute('aria-invalid'))
      .toBe('true');
    await a11yOk(page, 'admin: calendar error (zh-CN)');
    await screenshot(page, 'admin-calendar-error-zh-CN-desktop');
    await closeAll();

    const en = await adminPage('en', 'phone');
    await en.goto(`${h.url()}/admin/holidays`);
    await en.getByLabel('Year', { exact: true }).fill(String(year));
    await en.getByLabel('Days off (public holidays)').fill(`${year}-01-01\n${year}-02-16\n${year}-02-17`);
    await en.getByLabel('Make-up working days (调休)').fill(`${year}-02-07`);
    await en.getByRole('button', { name: 'Save the calendar' }).click();
    await hasText(en.getByTestId('cal-saved'), `Saved ${year}: 3 days off, 1 make-up working days.`);
    await hasText(en.getByTestId('cal-status'), String(year));
    if (status.missingYears.length === 1)
      await hasText(en.getByTestId('cal-status'), 'This year’s and next year’s calendars are in.');
    await a11yOk(en, 'admin: calendar (en, phone)');
    await screenshot(en, 'admin-calendar-en-phone');
    await closeAll();
  });

  test('the admin page is only for admins, and its code loads only there', async () => {
    const aud = { sub: 'auditor-1', role: 'auditor', name: '审计 钱审计员' };
    const page = await open({ lang: 'zh-CN', session: { token: await tokenFor(h.url(), aud), user: aud } });
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await page.goto(`${h.url()}/admin`);
    await hasText(page.locator('h1'), '管理员登录');
    expect(scripts.some((s) => /ReferenceData/.test(s))).toBe(false);
    await closeAll();
    // from the front page, an admin signs in as a demo user and lands on the reference data
    const home = await open({ lang: 'zh-CN' });
    await home.goto(h.url());
    await home.getByRole('link', { name: '系统管理' }).click();
    await home.getByRole('button', { name: /管理员 冯管理员/ }).click();
    await hasText(home.locator('h1'), '参考数据维护');
    await closeAll();
  });
});
