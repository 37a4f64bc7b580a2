/**
 * 好差评 in Chromium against the real `npm start` runtime: a family rates its ended case
 * 非常不满意 on the case page; the citizen service centre finds the follow-up in its queue with
 * both due dates, records the call back and resolves it; the auditor reads the year's ratings
 * and downloads the CSV. zh-CN and en; axe-core clean.
 */
import { describe, expect, test } from 'vitest';
import { chinaYear } from '#services/rehab-aid/eligibility';
import { fixtureForm } from '../support/forms.ts';
import { hasText, visible } from './support/expect.ts';
import { consoleHarness } from './support/harness.ts';
import { tokenFor } from './support/runtime.ts';

const h = consoleHarness();
const { open, closeAll, a11yOk, signInAs } = h;

async function call(claims: Record<string, string>, method: string, path: string, body?: unknown) {
  const token = await tokenFor(h.url(), claims);
  const res = await fetch(`${h.url()}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** 王丽's rehab case, refused by the township: it has ended. */
async function endedCase(): Promise<string> {
  const form = fixtureForm('rehab-aid');
  form.application.aidYear = chinaYear(new Date());
  const wang = { sub: 'parent-wang', role: 'parent' };
  const created = await call(wang, 'POST', '/applications', { service: 'rehab-aid', form });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const township = { sub: 'cw-dpf-liushi', role: 'caseworker', agency: 'dpf-township', township: 'liushi' };
  const refused = await call(
    township,
    'POST',
    `/applications/${created.body.id}/steps/township-review/decision`,
    {
      decision: 'reject',
      reason: 'not-resident',
    },
  );
  expect(refused.status, JSON.stringify(refused.body)).toBe(200);
  return created.body.id;
}

describe.sequential('好差评', () => {
  let id = '';

  test('the family rates its ended case 非常不满意 once, with a comment (zh-CN)', async () => {
    id = await endedCase();
    const page = await open({ lang: 'zh-CN' });
    await signInAs(page, 'parent', '王丽');
    await page.goto(`${h.url()}/parent/applications/${id}#rating`);
    const panel = page.locator('#rating');
    await hasText(panel, '服务评价（好差评）');
    await page.getByRole('button', { name: '提交评价' }).click();
    await hasText(panel.getByRole('alert'), '请选择一项评价');
    await a11yOk(page, 'parent: rate an ended case');
    await page.getByLabel('非常不满意').check();
    await page.getByLabel('意见或建议（选填）').fill('户籍核实要求没有提前说明');
    await page.getByRole('button', { name: '提交评价' }).click();
    await hasText(panel.getByRole('status'), '1 个工作日内与您联系');
    await hasText(page.getByTestId('rating-given'), '非常不满意');
    await a11yOk(page, 'parent: rating given');
    // the form is gone for good: a reload shows the rating, not the form
    await page.reload();
    await hasText(page.getByTestId('rating-given'), '户籍核实要求没有提前说明');
    expect(await page.getByRole('button', { name: '提交评价' }).count()).toBe(0);
    await closeAll();
  });

  test('the service centre calls the family back, then resolves; the steps go in order (zh-CN)', async () => {
    const page = await open({ lang: 'zh-CN' });
    await signInAs(page, 'caseworker', '市民中心');
    await page.getByRole('link', { name: '差评回访' }).click();
    await hasText(page.locator('h1'), '差评回访');
    const row = page.locator(`tr[data-followup="${id}"]`);
    await hasText(row, '非常不满意');
    await hasText(row, '户籍核实要求没有提前说明');
    await a11yOk(page, 'service centre: follow-ups to call back');
    await row.getByLabel('回访记录').fill('已电话联系家长，解释户籍核实要求');
    await row.getByRole('button', { name: '记录回访' }).click();
    await hasText(page.getByRole('status'), '已记录回访');
    await page.getByLabel('状态').selectOption('contacted');
    const contacted = page.locator(`tr[data-followup="${id}"][data-status="contacted"]`);
    await visible(contacted);
    await contacted.getByLabel('处理结果').fill('协助家长补充居住证材料并重新申请');
    await contacted.getByRole('button', { name: '办结' }).click();
    await hasText(page.getByRole('status'), '已办结');
    await page.getByLabel('状态').selectOption('resolved');
    await hasText(page.locator(`tr[data-followup="${id}"]`), '协助家长补充居住证材料并重新申请');
    await a11yOk(page, 'service centre: resolved follow-ups');
    // another agency's caseworker has no such page
    const other = await open({ lang: 'zh-CN' });
    await signInAs(other, 'caseworker', '卫健局');
    expect(await other.getByRole('link', { name: '差评回访' }).count()).toBe(0);
    await closeAll();
  });

  test('the auditor reads the year’s ratings per service, agency and township and downloads the CSV (en)', async () => {
    const page = await open({ lang: 'en' });
    await signInAs(page, 'auditor', '审计');
    await page.getByRole('link', { name: 'Ratings' }).click();
    await hasText(page.locator('h1'), 'Service ratings');
    await hasText(page.getByTestId('ratings-summary'), '0%');
    await hasText(page.locator('section[aria-label="By service"] tr[data-key="rehab-aid"]'), '0%');
    await hasText(page.locator('section[aria-label="By agency"] tr[data-key="dpf-township"]'), '1');
    await hasText(page.getByTestId('ratings-followups'), '1 opened');
    await a11yOk(page, 'auditor: ratings');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^ratings-\d{4}\.csv$/);
    await closeAll();
  });
});
