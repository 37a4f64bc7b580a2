/**
 * The web console in Debian's Chromium against the real `npm start` runtime: a parent fills in
 * and submits a birth application through the generated form, each agency's caseworker claims
 * and approves in dependency order, the auditor sees the processing time; a wrong 身份证号 is
 * caught inline with no submission; a request for information is answered; axe-core finds no
 * serious or critical violation on any page; screenshots (zh-CN and en, desktop and phone) go to
 * screenshots/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { a11y, screenshot, type ViewportName } from './support/browser.ts';
import { attributeIs, countIs, hasText, textIs, visible } from './support/expect.ts';
import { consoleHarness } from './support/harness.ts';
import { tokenFor } from './support/runtime.ts';

const MOTHER_ID = '330382199503120249';
const FATHER_ID = '330382199307080155';
const WRONG_ID = '330382199503120248'; // last digit is not the GB 11643 check digit
const CHILD = '王小明';

/** Who decides each step, in dependency order, with the outputs the approval records. */
const deciders = [
  { step: 'birth-certificate', user: '卫健局 张医生', output: ['证书编号', 'Q330123456'] },
  { step: 'vaccination', user: '疾控中心 郑医生', output: ['证书编号', '33038226001'] },
  { step: 'hukou', user: '柳市派出所 李警官', output: ['户号', '330382001'] },
  { step: 'medical-insurance', user: '医保局 周科员', output: ['医保号', '3303820026112000'] },
  { step: 'social-security-card', user: '人社局 吴科员', output: ['社保卡卡号', 'A12345678'] },
  { step: 'delivery', user: '市民中心 孙科员', output: ['寄递单号', 'EMS1234567890'] },
] as const;

/** A birth three days ago at 08:30 Beijing time, as a datetime-local value. */
function birthLocal(): string {
  return `${new Date(Date.now() + 8 * 3600_000 - 3 * 86_400_000).toISOString().slice(0, 10)}T08:30`;
}

const h = consoleHarness();
const { open, closeAll, a11yOk, signInAs } = h;
let appId = '';

const next = (page: Page) => page.getByRole('button', { name: /^(下一步|核对信息)$/ }).click();
const heading = (page: Page) => page.locator('#section-heading');

async function fillBirthForm(page: Page, motherId: string, check = false) {
  // 办理事项: everything is ticked by default
  await hasText(heading(page), '办理事项');
  if (check) await a11yOk(page, 'parent: form / items');
  await next(page);

  await hasText(heading(page), '孩子信息');
  await page.getByLabel('孩子姓名').fill(CHILD);
  await page.getByLabel('男', { exact: true }).check();
  await page.getByLabel('出生时间').fill(birthLocal());
  await page.getByLabel('出生体重').fill('3350');
  await page.getByLabel('助产机构').selectOption('yq-mch');
  if (check) await a11yOk(page, 'parent: form / child');
  await next(page);

  await hasText(heading(page), '母亲信息');
  await page.getByLabel('母亲姓名').fill('王丽');
  await page.getByLabel('身份证号').fill(motherId);
  await page.getByLabel('手机号').fill('13805771234');
  await page.getByLabel('手机号').blur();
  if (check) await a11yOk(page, 'parent: form / mother');
  await next(page);
}

async function fillRestOfBirthForm(page: Page, check = false) {
  await hasText(heading(page), '父亲信息');
  await page.getByLabel('父亲姓名').fill('陈刚');
  await page.getByLabel('身份证号').fill(FATHER_ID);
  await page.getByLabel('手机号').fill('13905775678');
  if (check) await a11yOk(page, 'parent: form / father');
  await next(page);

  await hasText(heading(page), '联系方式');
  // the channel choice: e-mail by default, text messages beside it (both chosen here)
  await expect.poll(() => page.getByLabel('电子邮件', { exact: true }).isChecked()).toBe(true);
  await page.getByLabel('短信', { exact: true }).check();
  await page.getByLabel('电子邮箱').fill('wang.li@example.com');
  if (check) await a11yOk(page, 'parent: form / contact');
  await next(page);

  await hasText(heading(page), '户籍登记');
  await page.getByLabel('随母落户').check();
  await page.getByLabel('户籍地址').fill('浙江省乐清市柳市镇长虹路 88 号');
  await page.getByLabel('户籍所在乡镇/街道').selectOption('liushi');
  if (check) await a11yOk(page, 'parent: form / hukou');
  await next(page);

  await hasText(heading(page), '医保参保');
  expect(await page.getByLabel('城乡居民基本医疗保险').isChecked()).toBe(true);
  if (check) await a11yOk(page, 'parent: form / medical insurance');
  await next(page);

  await hasText(heading(page), '社保卡');
  await page.getByLabel('社保卡发卡银行').selectOption('rcc');
  if (check) await a11yOk(page, 'parent: form / social security card');
  await next(page);

  await hasText(heading(page), '证件寄递');
  await page.getByLabel('EMS邮寄到家').check();
  await page.getByLabel('邮寄地址').fill('浙江省乐清市柳市镇长虹路 88 号 3 单元 501');
  if (check) await a11yOk(page, 'parent: form / delivery');
  await next(page);
  await hasText(heading(page), '核对并提交');
}

describe.sequential('Onestop console in Chromium', () => {
  test('landing and sign-in pages', async () => {
    const page = await open();
    await page.goto(h.url());
    await expect.poll(() => page.locator('h1').textContent()).toContain('一网通办');
    await a11yOk(page, 'landing');
    for (const area of ['parent', 'caseworker', 'auditor'] as const) {
      await page.goto(`${h.url()}/${area}`);
      await visible(page.getByRole('heading', { level: 2, name: '演示账号' }));
      await a11yOk(page, `${area}: sign-in`);
    }
    // the language switch turns the page to English and back
    await page.getByRole('button', { name: 'English' }).click();
    await textIs(page.locator('h1'), 'Sign in as an auditor');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByRole('button', { name: '中文' }).click();
    await textIs(page.locator('h1'), '审计人员登录');
    await closeAll();
  });

  test('a wrong 身份证号 shows an inline message and nothing is submitted', async () => {
    const page = await open();
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/applications') posts.push(r.url());
    });
    await signInAs(page, 'parent', '陈静');
    await page
      .getByRole('link', { name: /开始申请/ })
      .first()
      .click();
    await fillBirthForm(page, WRONG_ID);
    // still on the mother's section, with the message next to the field and in the summary
    await hasText(heading(page), '母亲信息');
    const id = page.getByLabel('身份证号');
    await attributeIs(id, 'aria-invalid', 'true');
    await textIs(page.locator('#f-mother-idNumber-error'), /身份证号校验位不正确/);
    await hasText(page.getByRole('alert'), '身份证号校验位不正确');
    await a11yOk(page, 'parent: form / inline errors');

    // the message also appears while typing, and goes once the number is right
    await id.fill('');
    await id.pressSequentially(WRONG_ID);
    await visible(page.locator('#f-mother-idNumber-error'));
    // jumping to the review page does not get past it either
    await page.getByRole('button', { name: /核对并提交/ }).click();
    await page.getByLabel(/本人承诺/).check();
    await page.getByRole('button', { name: '提交申请' }).click();
    await hasText(page.locator('.error-summary'), '身份证号校验位不正确');
    await a11yOk(page, 'parent: review with errors');

    // in English too
    await page.getByRole('button', { name: 'English' }).click();
    await hasText(page.locator('.error-summary'), 'ID number check digit is wrong');
    await page.getByRole('button', { name: '中文' }).click();

    expect(posts).toEqual([]);
    const token = await tokenFor(h.url(), { sub: 'parent-chen', role: 'parent' });
    const mine = await fetch(`${h.url()}/applications`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await mine.json()) as { items: unknown[] }).items).toEqual([]);

    // the draft was saved to the parent's account (encrypted on the server, not in the browser)
    await expect
      .poll(async () => {
        const res = await fetch(`${h.url()}/drafts`, { headers: { authorization: `Bearer ${token}` } });
        const { items } = (await res.json()) as { items: Array<{ service: string; section: string }> };
        return items.map((d) => `${d.service}/${d.section}`);
      })
      .toEqual(['birth-registration/review']);
    await closeAll();

    // ... so it resumes on another device: a fresh browser profile, signed in as the same parent
    const other = await open();
    await signInAs(other, 'parent', '陈静');
    await visible(other.getByRole('heading', { name: '我的草稿' }));
    await a11yOk(other, 'parent: home with drafts');
    await other.getByRole('link', { name: '继续填写' }).click();
    await hasText(other.locator('.alert.info'), '已恢复');
    await hasText(heading(other), '核对并提交');
    await hasText(other.locator('.kv'), CHILD);
    // an edit on the resumed draft is saved back with the next version
    await other.getByRole('button', { name: '孩子信息', exact: true }).click();
    await other.getByLabel('孩子姓名').fill('王小亮');
    await expect.poll(() => other.locator('.save-note').getAttribute('data-save-state')).toBe('saved');
    const draftId = new URL(other.url()).searchParams.get('draft');
    const stored = await fetch(`${h.url()}/drafts/birth-registration/${draftId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const draft = (await stored.json()) as { version: number; values: Record<string, string> };
    expect(draft.values['child.name']).toBe('王小亮');
    expect(draft.version).toBeGreaterThan(1);
    await closeAll();
  });

  test('a parent submits a birth application through the form', async () => {
    const page = await open();
    await signInAs(page, 'parent', '王丽');
    await a11yOk(page, 'parent: home');
    await page
      .getByRole('link', { name: /开始申请/ })
      .first()
      .click();
    await fillBirthForm(page, MOTHER_ID, true);
    await fillRestOfBirthForm(page, true);

    // review page: every answer, the declaration, then submit (double click: one application)
    await hasText(page.locator('.kv'), CHILD);
    await visible(page.getByText(MOTHER_ID));
    await a11yOk(page, 'parent: review');
    await page.getByRole('button', { name: '提交申请' }).click();
    await visible(page.getByText('请勾选承诺后提交').first());
    await page.getByLabel(/本人承诺/).check();
    // a double click sends at most two POSTs with one Idempotency-Key: one application either way
    const created: Array<Promise<{ status: number; id: string; key: string | null }>> = [];
    page.on('response', (r) => {
      if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/applications') {
        created.push(
          r.json().then((b: { id: string }) => ({
            status: r.status(),
            id: b.id,
            key: r.request().headers()['idempotency-key'] ?? null,
          })),
        );
      }
    });
    await page.getByRole('button', { name: '提交申请' }).dblclick();
    await page.waitForURL(/\/parent\/applications\/[0-9A-Z]{26}/);
    appId = /applications\/([0-9A-Z]{26})/.exec(page.url())?.[1] ?? '';
    expect(appId).toMatch(/^[0-9A-Z]{26}$/);
    await hasText(page.getByRole('status'), '申请已提交');
    await hasText(page.locator('.timeline'), '出生医学证明');
    await visible(page.locator('.tl-birth-certificate, .tl-open').first());
    await a11yOk(page, 'parent: application detail');
    const answers = await Promise.all(created);
    expect(answers.length).toBeGreaterThanOrEqual(1);
    expect(new Set(answers.map((a) => a.id))).toEqual(new Set([appId]));
    expect(
      answers.every((a) => (a.status === 201 || a.status === 200) && /^[0-9a-f-]{36}$/.test(a.key ?? '')),
    ).toBe(true);

    // the submitted draft is gone from the parent's account
    const wang = await tokenFor(h.url(), { sub: 'parent-wang', role: 'parent' });
    await expect
      .poll(async () => {
        const res = await fetch(`${h.url()}/drafts`, { headers: { authorization: `Bearer ${wang}` } });
        return ((await res.json()) as { items: unknown[] }).items.length;
      })
      .toBe(0);

    await page.getByRole('link', { name: '我的申请' }).first().click();
    await countIs(page.locator('.app-card'), 1);
    await a11yOk(page, 'parent: my applications');
    await closeAll();
  });

  test('each caseworker claims and approves in dependency order', async () => {
    expect(appId).not.toBe('');
    for (const [i, d] of deciders.entries()) {
      const page = await open();
      await signInAs(page, 'caseworker', d.user);
      const row = page.locator('tr', { hasText: appId });
      await visible(row);
      if (i === 0) {
        await a11yOk(page, 'caseworker: queue');
        // claim from the queue, then find it under 已认领
        await row.getByRole('button', { name: /认领/ }).click();
        await hasText(page.locator('.alert.success'), '认领');
        await page.getByRole('button', { name: '已认领' }).click();
        await visible(page.locator('tr', { hasText: appId }));
        await a11yOk(page, 'caseworker: queue / claimed');
        await page.locator('tr', { hasText: appId }).getByRole('link', { name: /查看/ }).click();
      } else {
        await row.getByRole('link', { name: /查看/ }).click();
        await visible(page.getByText('认领后即可办理'));
        if (i === 1) await a11yOk(page, 'caseworker: case / open');
        await page.locator('.decision').getByRole('button', { name: '认领' }).click();
      }
      await visible(page.locator('.decision').getByLabel(d.output[0]));
      if (i === 0) {
        // the form shows masked ID numbers; reveal asks for a reason and is recorded
        await visible(page.getByText('3303**********0249'));
        await visible(page.getByRole('img', { name: /办理流程图/ }));
        await a11yOk(page, 'caseworker: case / decision');
        await page.getByRole('button', { name: /查看完整号码：母亲信息/ }).click();
        await visible(page.getByRole('dialog'));
        await a11yOk(page, 'caseworker: reveal dialog');
        await page.getByLabel('查看原因').fill('核对出生医学证明信息');
        await page.getByRole('dialog').getByRole('button', { name: '查看' }).click();
        await visible(page.getByText(MOTHER_ID));
        await hasText(page.locator('.case-events'), '查看完整证件号');
        // reject and request-info panels
        await page.getByLabel('不予办理（退回）').check();
        await visible(page.getByLabel('退回原因'));
        await a11yOk(page, 'caseworker: case / reject');
        await page.getByLabel('要求补正').check();
        await visible(page.getByText('需要补正的内容'));
        await a11yOk(page, 'caseworker: case / request info');
        await page.getByLabel('通过', { exact: true }).check();
        // a wrong certificate number is caught inline
        await page.locator('.decision').getByLabel(d.output[0]).fill('123');
        await page.getByRole('button', { name: '确认通过' }).click();
        await hasText(page.locator('.decision .field-error'), '格式不正确');
      }
      await page.locator('.decision').getByLabel(d.output[0]).fill(d.output[1]);
      await page.getByRole('button', { name: '确认通过' }).click();
      await hasText(page.locator('.alert.success'), '已通过');
      await hasText(page.locator('.decision').first(), '已办结');
      await closeAll();
    }
  });

  test('the parent sees every agency done', async () => {
    const page = await open();
    await signInAs(page, 'parent', '王丽');
    await page.goto(`${h.url()}/parent/applications/${appId}`);
    await hasText(page.locator('.summary-card'), '已办结');
    await hasText(page.locator('.timeline'), 'Q330123456');
    await hasText(page.locator('.timeline'), '330382001');
    await a11yOk(page, 'parent: application completed');
    await closeAll();
  });

  test('the auditor sees its processing time and can download CSV', async () => {
    const page = await open();
    await signInAs(page, 'auditor', '钱审计员');
    // the figures come from the metrics stream consumer, a moment after the last decision
    const overall = page.locator('tr[data-step="overall"]');
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: '查询' }).click();
          await visible(overall);
          return ((await overall.locator('td').first().textContent()) ?? '').trim();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe('1');
    await textIs(page.locator('tr[data-step="birth-certificate"] td').first(), '1');
    await textIs(page.locator('tr[data-step="delivery"] td').nth(1), /\d/);
    await countIs(page.locator('canvas[role="img"]'), 2);
    // the trend: one day (today, China time) with the one completed application
    const trend = page.locator('section[aria-labelledby="trend-title"]');
    await expect.poll(() => trend.locator('canvas').getAttribute('aria-label')).toMatch(/P50 .*P90/);
    await trend.getByText('趋势数据表').click();
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    await textIs(trend.locator(`tr[data-period="${today}"] td`).first(), '1');
    // The plan's indicator: seeded nurseries' places per 1,000 residents (target 4.5).
    await textIs(page.getByTestId('plan-places'), /^\d+(\.\d+)?$/);
    // rehab coverage: children aided / children eligible (no eligible count entered: no rate)
    await textIs(page.getByTestId('plan-rehab'), /^(—|\d+(\.\d+)?%)（\d+ \/ (—|\d+)）$/);
    await a11yOk(page, 'auditor: dashboard');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出 CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^processing-times-birth-registration-.*\.csv$/);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync(path, 'utf8');
    expect(csv.split('\n')[0]).toContain('p50');
    expect(csv).toMatch(/\noverall,1,/);
    await closeAll();
  });

  test('a request for information is answered by the parent', async () => {
    // a second application through the API (this browser has no unmasked copy of it)
    const parentToken = await tokenFor(h.url(), {
      sub: 'parent-wang',
      role: 'parent',
      email: 'wang.li@example.com',
    });
    const { readFileSync } = await import('node:fs');
    const form = JSON.parse(readFileSync('tests/fixtures/forms/birth-registration.json', 'utf8'));
    form.child.name = '王小红';
    form.child.sex = 'female';
    form.child.birthAt = `${birthLocal()}:00+08:00`;
    const res = await fetch(`${h.url()}/applications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${parentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ service: 'birth-registration', form }),
    });
    expect(res.status).toBe(201);
    const second = ((await res.json()) as { id: string }).id;

    const cw = await open();
    await signInAs(cw, 'caseworker', '卫健局 张医生');
    await cw.goto(`${h.url()}/caseworker/cases/${second}`);
    await cw.locator('.decision').getByRole('button', { name: '认领' }).click();
    await cw.getByLabel('要求补正').check();
    await cw.getByRole('button', { name: '发送补正要求' }).click();
    await hasText(cw.locator('.error-summary'), '请选择需要补正的字段');
    await cw.getByRole('checkbox', { name: /母亲信息 · 手机号/ }).check();
    await cw.getByLabel('给群众的说明').fill('医院登记的母亲手机号与申请不一致，请核对。');
    await cw.getByRole('button', { name: '发送补正要求' }).click();
    await hasText(cw.locator('.alert.success'), '已要求补正');

    const page = await open();
    await signInAs(page, 'parent', '王丽');
    await page.goto(`${h.url()}/parent/applications/${second}`);
    const panel = page.locator('.resubmit');
    await hasText(panel, '医院登记的母亲手机号与申请不一致');
    await a11yOk(page, 'parent: answer a request for information');
    await panel.getByLabel('手机号').fill('13805779999');
    await panel.getByRole('button', { name: '提交补正' }).click();
    // the masked ID numbers must be typed again, and must match
    await visible(panel.locator('.error-summary'));
    await panel.getByLabel(/母亲信息 · 身份证号/).fill(MOTHER_ID);
    await panel.getByLabel(/父亲信息 · 身份证号/).fill(FATHER_ID);
    await panel.getByRole('button', { name: '提交补正' }).click();
    await visible(page.getByRole('status').filter({ hasText: '补正信息已提交' }));
    await hasText(page.locator('.summary-card'), '办理中');
    await closeAll();
  });

  test('screenshots of the key pages in zh-CN and en, desktop and phone', async () => {
    const parent = {
      token: await tokenFor(h.url(), { sub: 'parent-wang', role: 'parent', name: '王丽 Wang Li' }),
      user: { sub: 'parent-wang', role: 'parent', name: '王丽 Wang Li' },
    };
    const health = { sub: 'cw-health', role: 'caseworker', agency: 'health', name: '卫健局 张医生' };
    const caseworker = { token: await tokenFor(h.url(), health), user: health };
    const aud = { sub: 'auditor-1', role: 'auditor', name: '审计 钱审计员' };
    const auditor = { token: await tokenFor(h.url(), aud), user: aud };
    const shots: Array<{ name: string; session?: typeof parent; path: string; ready: string }> = [
      { name: 'landing', path: '/', ready: 'h1' },
      {
        name: 'parent-form',
        session: parent,
        path: '/parent/apply/birth-registration',
        ready: '#section-heading',
      },
      {
        name: 'parent-application',
        session: parent,
        path: `/parent/applications/${appId}`,
        ready: '.timeline',
      },
      { name: 'caseworker-queue', session: caseworker, path: '/caseworker', ready: '.queue-table, .empty' },
      {
        name: 'caseworker-case',
        session: caseworker,
        path: `/caseworker/cases/${appId}`,
        ready: '.case-events',
      },
      { name: 'auditor-dashboard', session: auditor, path: '/auditor', ready: 'canvas' },
    ];
    // one more application, so the health queue has an open task to show
    const chen = await tokenFor(h.url(), { sub: 'parent-chen', role: 'parent' });
    const { readFileSync } = await import('node:fs');
    const form = JSON.parse(readFileSync('tests/fixtures/forms/birth-registration.json', 'utf8'));
    form.child.name = '陈小雨';
    form.child.birthAt = `${birthLocal()}:00+08:00`;
    const res = await fetch(`${h.url()}/applications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${chen}`, 'content-type': 'application/json' },
      body: JSON.stringify({ service: 'birth-registration', form }),
    });
    expect(res.status).toBe(201);
    const written: string[] = [];
    for (const lang of ['zh-CN', 'en'] as const) {
      for (const viewport of ['desktop', 'phone'] as ViewportName[]) {
        for (const s of shots) {
          const page = await open({ lang, viewport, ...(s.session ? { session: s.session } : {}) });
          await page.goto(`${h.url()}${s.path}`);
          await page.locator(s.ready).first().waitFor();
          if (s.name === 'parent-form') {
            // the child's section, submitted empty: inline errors and the summary
            await page.getByRole('button', { name: /^(下一步|Next)$/ }).click();
            await page.getByRole('button', { name: /^(下一步|Next)$/ }).click();
            await page.locator('.error-summary').waitFor();
          }
          if (lang === 'en' && viewport === 'phone') await a11yOk(page, `${s.name} (en, phone)`);
          written.push(await screenshot(page, `${s.name}-${lang}-${viewport}`));
          await closeAll();
        }
      }
    }
    expect(written).toHaveLength(24);
  });

  test('axe-core: no serious or critical violations on any page', () => {
    console.log(`axe-core checked ${a11y.checked.length} pages in ${a11y.ms} ms`);
    expect(a11y.checked.length).toBeGreaterThanOrEqual(25);
    expect(a11y.findings).toEqual([]);
  });
});
