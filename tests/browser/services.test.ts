/**
 * The parent's answers beyond the form, in Chromium against `npm start`: accepting and declining
 * an offered childcare place, and uploading a rehab-aid document with a progress bar (straight to
 * the local S3), which the township caseworker then views through an audited link. axe-core runs
 * on each of these page states; screenshots go to screenshots/.
 */
import { describe, expect, test } from 'vitest';
import { chinaYear } from '#services/rehab-aid/eligibility';
import { childForm, upcoming } from '../support/childcare.ts';
import { fixtureForm } from '../support/forms.ts';
import { a11y, screenshot } from './support/browser.ts';
import { attributeIs, hasText, visible } from './support/expect.ts';
import { consoleHarness } from './support/harness.ts';
import { tokenFor } from './support/runtime.ts';

const NURSERY = 'browser-sunshine';

const h = consoleHarness();
const { open, closeAll, a11yOk, signInAs } = h;

async function call(claims: Record<string, string>, method: string, path: string, body?: unknown) {
  const token = await tokenFor(h.url(), claims);
  const res = await fetch(`${h.url()}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

const wang = { sub: 'parent-wang', role: 'parent' };
const chen = { sub: 'parent-chen', role: 'parent' };
const health = { sub: 'cw-health', role: 'caseworker', agency: 'health' };

describe.sequential('parent answers in Chromium', () => {
  const offers: Record<'accept' | 'decline', string> = { accept: '', decline: '' };

  test('a parent accepts an offered childcare place, another declines with a reason', async () => {
    const { term, birthDate } = upcoming();
    const nursery = await call(health, 'PUT', `/childcare/nurseries/${NURSERY}`, {
      name: { 'zh-CN': '阳光托育园', en: 'Sunshine Nursery' },
      township: 'liushi',
      address: '柳市镇阳光路 8 号',
      licenceNumber: '330382TY2024888',
      type: 'inclusive',
      places: { toddler: 15 },
    });
    expect(nursery.status, JSON.stringify(nursery.body)).toBe(200);
    const intake = await call(health, 'PUT', `/childcare/nurseries/${NURSERY}/intakes/${term}/toddler`, {
      capacity: 2,
      mode: 'rolling',
    });
    expect(intake.status).toBe(200);
    for (const [who, key, i] of [
      [wang, 'accept', 1],
      [chen, 'decline', 2],
    ] as const) {
      const form = childForm(i, { term, birthDate, preferences: [NURSERY] });
      const app = await call(who, 'POST', '/applications', { service: 'childcare-slot', form });
      expect(app.status, JSON.stringify(app.body)).toBe(201);
      expect(app.body.steps.find((s: { step: string }) => s.step === 'offer').status).toBe('open');
      offers[key] = app.body.id;
    }

    // 王丽 accepts
    const page = await open();
    await signInAs(page, 'parent', '王丽');
    await page.goto(`${h.url()}/parent/applications/${offers.accept}`);
    const card = page.locator('.offer-card');
    await hasText(card, '确认托位');
    await hasText(page.getByTestId('offer-place'), '阳光托育园');
    await a11yOk(page, 'parent: childcare offer');
    await screenshot(page, 'parent-offer-zh-CN-desktop');
    await card.getByRole('button', { name: '接受托位' }).click();
    await hasText(page.locator('.alert.success'), '您已接受托位');
    await expect.poll(() => card.count()).toBe(0);
    const accepted = await call(wang, 'GET', `/applications/${offers.accept}`);
    const stepOf = (b: any, s: string) => b.steps.find((x: { step: string }) => x.step === s);
    expect(stepOf(accepted.body, 'offer').status).toBe('done');
    expect(stepOf(accepted.body, 'enrolment')).toMatchObject({
      status: 'open',
      agency: `nursery:${NURSERY}`,
    });
    await closeAll();

    // 陈静 declines, after confirming, with a reason
    const other = await open();
    await signInAs(other, 'parent', '陈静');
    await other.goto(`${h.url()}/parent/applications/${offers.decline}`);
    const offer = other.locator('.offer-card');
    await offer.getByRole('button', { name: '放弃托位' }).click();
    await hasText(offer, '无法撤销');
    await offer.getByLabel('放弃原因（可选）').fill('已就近入读其他托育园');
    await a11yOk(other, 'parent: decline a childcare offer');
    await offer.getByRole('button', { name: '确认放弃' }).click();
    await hasText(other.locator('.alert.success'), '您已放弃该托位');
    const declined = await call(chen, 'GET', `/applications/${offers.decline}`);
    expect(stepOf(declined.body, 'offer').status).toBe('rejected');
    expect(declined.body.status).toBe('rejected');
    await closeAll();
  });

  test('a parent uploads a rehab document with progress; the township caseworker views it (audited)', async () => {
    const form = fixtureForm('rehab-aid');
    form.application.aidYear = chinaYear(new Date());
    const app = await call(wang, 'POST', '/applications', { service: 'rehab-aid', form });
    expect(app.status, JSON.stringify(app.body)).toBe(201);
    const appId = app.body.id as string;

    const page = await open();
    await signInAs(page, 'parent', '王丽');
    await page.goto(`${h.url()}/parent/applications/${appId}`);
    const docs = page.locator('section[aria-labelledby="documents-title"]');
    await hasText(docs, '尚未上传材料');

    // a wrong file type is caught before anything is sent
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET') requests.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    await docs.getByLabel('选择文件').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not a document'),
    });
    await docs.getByRole('button', { name: '上传' }).click();
    await hasText(docs.getByRole('alert'), '只能上传 PDF、JPG 或 PNG 文件');
    expect(requests).toEqual([]);

    // a 2 MB PDF: the PUT to S3 is held back a moment so the progress bar is seen
    const pdf = Buffer.concat([
      Buffer.from('%PDF-1.7\n'),
      Buffer.alloc(2 * 1024 * 1024, 0x20),
      Buffer.from('\n%%EOF\n'),
    ]);
    let putSeen = false;
    await page.route(/\/rehab\/[0-9A-Z]{26}\/[0-9A-Z]{26}/, async (route) => {
      if (route.request().method() === 'PUT') {
        putSeen = true;
        await new Promise((r) => setTimeout(r, 800));
      }
      await route.continue();
    });
    await docs.getByLabel('材料类型').selectOption('disability-certificate');
    await docs
      .getByLabel('选择文件')
      .setInputFiles({ name: '残疾证.pdf', mimeType: 'application/pdf', buffer: pdf });
    await docs.getByRole('button', { name: '上传' }).click();
    await visible(docs.getByLabel('上传进度'));
    await a11yOk(page, 'parent: document upload in progress');
    await hasText(docs.locator('.alert.success'), '残疾证.pdf 已上传并通过检查');
    expect(putSeen).toBe(true);
    await hasText(docs.locator('li[data-status="uploaded"]'), '残疾证');
    expect(requests.filter((r) => r.startsWith('PUT '))).toHaveLength(1);
    await a11yOk(page, 'parent: documents');
    await screenshot(page, 'parent-documents-zh-CN-desktop');
    await closeAll();

    // the township DPF caseworker sees the document in the case view and opens it
    const cw = await open();
    await signInAs(cw, 'caseworker', '柳市镇残联 林干事');
    await cw.goto(`${h.url()}/caseworker/cases/${appId}`);
    const caseDocs = cw.locator('section[aria-labelledby="documents-title"]');
    await hasText(caseDocs.locator('li[data-status="uploaded"]'), '残疾证');
    await expect.poll(() => caseDocs.getByRole('button', { name: /上传/ }).count()).toBe(0);
    await a11yOk(cw, 'caseworker: case documents');
    const fetched: Array<{ status: number; type: string | undefined }> = [];
    cw.context().on('response', (r) => {
      if (r.url().includes(`/rehab/${appId}/`) && r.request().method() === 'GET') {
        fetched.push({ status: r.status(), type: r.headers()['content-type'] });
      }
    });
    // the view is recorded when the link is asked for; the link then opens the file
    await caseDocs.getByRole('button', { name: /查看/ }).click();
    const fileLink = caseDocs.getByRole('link', { name: /打开文件：残疾证/ });
    await visible(fileLink);
    await a11yOk(cw, 'caseworker: a document with its view link');
    await Promise.all([cw.context().waitForEvent('page'), fileLink.click()]);
    await expect.poll(() => fetched.length).toBeGreaterThan(0);
    expect(fetched[0]).toEqual({ status: 200, type: 'application/pdf' });
    const events = await call(
      { sub: 'cw-dpf-liushi', role: 'caseworker', agency: 'dpf-township', township: 'liushi' },
      'GET',
      `/applications/${appId}/events`,
    );
    const views = events.body.items.filter((e: { type: string }) => e.type === 'document-viewed');
    expect(views).toHaveLength(1);
    expect(views[0].actor.sub).toBe('cw-dpf-liushi');
    await closeAll();
  });

  test('rehab in the console: city approval with the aid standard, the family’s institution, a claim and its settlement', async () => {
    const form = fixtureForm('rehab-aid');
    form.application.aidYear = chinaYear(new Date());
    const app = await call(wang, 'POST', '/applications', { service: 'rehab-aid', form });
    expect(app.status).toBe(201);
    const id = app.body.id as string;
    const decide = async (who: Record<string, string>, step: string, outputs?: Record<string, unknown>) => {
      const res = await call(who, 'POST', `/applications/${id}/steps/${step}/decision`, {
        decision: 'approve',
        ...(outputs ? { outputs } : {}),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    const township = { sub: 'cw-dpf-liushi', role: 'caseworker', agency: 'dpf-township', township: 'liushi' };
    const city = { sub: 'cw-dpf-city', role: 'caseworker', agency: 'dpf-city' };
    await decide(township, 'township-review', { familySituation: 'dibao' });
    await decide(city, 'city-review');
    await decide(
      { sub: 'cw-rehab-center', role: 'caseworker', agency: 'rehab-institution:yq-rehab-center' },
      'assessment',
      { assessedLevel: 'moderate', sessionsPerMonth: 12, plan: '助听器调试与言语训练每周三次' },
    );
    // typing the caps through the generic decision route is refused
    const typed = await call(city, 'POST', `/applications/${id}/steps/approval/decision`, {
      decision: 'approve',
      outputs: {
        standardVersion: '2026.1',
        year: 2026,
        category: 'hearing',
        ageBand: '0-6',
        monthlyCapFen: 9_000_000,
        yearlyCapFen: 90_000_000,
      },
    });
    expect(typed.status).toBe(409);

    const page = await open();
    await signInAs(page, 'caseworker', '市残联康复部 徐科长');
    await page.goto(`${h.url()}/caseworker/cases/${id}`);
    await page.locator('.decision').getByRole('button', { name: '认领' }).click();
    await hasText(page.getByTestId('approve-via'), '按现行救助标准自动核定');
    await expect
      .poll(() =>
        page
          .locator('.decision')
          .getByLabel(/救助上限/)
          .count(),
      )
      .toBe(0);
    await page.locator('.decision').getByLabel('说明').fill('符合抢救性康复条件');
    await a11yOk(page, 'caseworker: rehab approval with the aid standard');
    await page.getByRole('button', { name: '确认通过' }).click();
    await hasText(page.locator('.alert.success'), '已通过');
    const approved = await call(city, 'GET', `/applications/${id}`);
    const approval = approved.body.steps.find((x: { step: string }) => x.step === 'approval');
    expect(approval.status).toBe('done');
    expect(approval.outputs.standardVersion).toMatch(/^\d{4}\.\d+$/);
    expect(approval.outputs.monthlyCapFen).toBeLessThan(9_000_000);
    await closeAll();

    // the family chooses the institution; the plan shows the caps of the standard
    const parent = await open();
    await signInAs(parent, 'parent', '王丽');
    await parent.goto(`${h.url()}/parent/applications/${id}`);
    const plan = parent.locator('section[aria-labelledby="aid-plan-title"]');
    await hasText(plan, '选择定点康复机构');
    await a11yOk(parent, 'parent: choose a rehab institution');
    await plan.getByRole('button', { name: '确认选择' }).click();
    await hasText(plan.getByRole('alert'), '请先选择一家机构');
    await plan.getByLabel(/乐清市残疾人康复中心/).check();
    await plan.getByRole('button', { name: '确认选择' }).click();
    const shown = parent.getByTestId('rehab-plan');
    await hasText(shown, '乐清市残疾人康复中心');
    await hasText(
      shown,
      `¥${(approval.outputs.monthlyCapFen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2 })}`,
    );
    await a11yOk(parent, 'parent: rehab aid plan');
    const stored = await call(wang, 'GET', `/rehab/plans/${id}`);
    expect(stored.body.plan).toMatchObject({
      institution: 'yq-rehab-center',
      standardVersion: approval.outputs.standardVersion,
    });
    await closeAll();

    // the institution files this month's claim in the console; the city approves it
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const inst = await open();
    await signInAs(inst, 'caseworker', '市残疾人康复中心 叶治疗师');
    await inst.getByRole('link', { name: '康复救助结算' }).click();
    // the navigation marks this page, not the queue whose path is a prefix of it
    await attributeIs(inst.getByRole('link', { name: '康复救助结算' }), 'aria-current', 'page');
    expect(await inst.getByRole('link', { name: '任务队列' }).getAttribute('aria-current')).toBeNull();
    await inst.getByLabel('救助对象').selectOption(id);
    await hasText(inst.getByTestId('plan-caps'), '每月上限');
    await inst.getByLabel('服务月份').fill(month);
    await inst.getByLabel('服务次数').fill('8');
    await inst.getByLabel('金额（元）').fill('1200');
    await a11yOk(inst, 'institution: file a claim');
    await inst.getByRole('button', { name: '提交申报' }).click();
    await hasText(inst.locator('.alert.success'), '¥1,200.00');
    await hasText(inst.locator('tr[data-status="filed"]'), month);
    // a one-off item: hearing aids, within their own cap (no sessions asked)
    await inst.getByLabel('申报内容').selectOption('hearing-aid');
    expect(await inst.getByLabel('服务次数').count()).toBe(0);
    await inst.getByLabel('金额（元）').fill('5000');
    await a11yOk(inst, 'institution: file a one-off item');
    await inst.getByRole('button', { name: '提交申报' }).click();
    await hasText(inst.locator('.alert.success'), '¥5,000.00');
    await hasText(inst.locator('tr[data-status="filed"]').filter({ hasText: '助听器' }), '¥5,000.00');
    await closeAll();

    // a second claim for the same month, filed through the API: the city rejects it as a duplicate
    const second = await call(
      { sub: 'cw-rehab-center', role: 'caseworker', agency: 'rehab-institution:yq-rehab-center' },
      'POST',
      `/rehab/plans/${id}/claims`,
      { month, sessions: 2, amountFen: 20_000 },
    );
    expect(second.status, JSON.stringify(second.body)).toBe(201);

    const cityPage = await open();
    await signInAs(cityPage, 'caseworker', '市残联康复部 徐科长');
    await cityPage.goto(`${h.url()}/caseworker/rehab`);
    const row = cityPage.locator('tr[data-status="filed"]').filter({ hasText: '¥1,200.00' });
    await hasText(row, month);
    const duplicate = cityPage.locator('tr[data-status="filed"]').filter({ hasText: '¥200.00' });
    await duplicate.getByRole('button', { name: /^退回/ }).click();
    await duplicate.getByLabel('退回原因').selectOption('duplicate');
    await duplicate.getByRole('button', { name: '确认退回' }).click();
    await hasText(cityPage.locator('.alert.success'), '已退回');
    await a11yOk(cityPage, 'city: claims to decide');
    await row.getByRole('button', { name: /^核准/ }).click();
    await hasText(cityPage.locator('.alert.success'), '已核准');
    const aids = cityPage.locator('tr[data-status="filed"]').filter({ hasText: '助听器' });
    await aids.getByRole('button', { name: /^核准/ }).click();
    const settlement = cityPage.locator('tr[data-institution="yq-rehab-center"]');
    await hasText(settlement, '¥6,200.00');
    await hasText(settlement, '本月进行中');
    await a11yOk(cityPage, 'city: monthly settlement');
    await screenshot(cityPage, 'caseworker-rehab-desk-zh-CN-desktop');
    const budget = await call(wang, 'GET', `/rehab/plans/${id}`);
    expect(budget.body.budget.approvedTotalFen).toBe(120_000);
    expect(budget.body.budget.items).toEqual({ 'hearing-aid': 500_000 });
    expect(budget.body.claims.map((c: { status: string }) => c.status).sort()).toEqual([
      'approved',
      'approved',
      'rejected',
    ]);
    const rejected = budget.body.claims.find((c: { status: string }) => c.status === 'rejected');
    expect(rejected.reason.code).toBe('duplicate');
    await closeAll();
  });

  test('axe-core: no serious or critical violations on these pages', () => {
    expect(a11y.checked.length).toBeGreaterThanOrEqual(11);
    expect(a11y.findings).toEqual([]);
  });
});
