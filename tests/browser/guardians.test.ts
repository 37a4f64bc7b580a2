/**
 * Linking a family's case in Chromium against the real `npm start` runtime: the father named on
 * a birth form (signed in as himself) links the case with the code texted to his number (read
 * from the local SMS sink), then sees it in his applications; a wrong code is refused at the
 * field. zh-CN and en; axe-core clean.
 */
import { describe, expect, test } from 'vitest';
import { birthForm } from '../support/forms.ts';
import { hasText } from './support/expect.ts';
import { consoleHarness } from './support/harness.ts';
import { tokenFor } from './support/runtime.ts';
import { textedCode } from './support/sms.ts';

const h = consoleHarness();
const { open, closeAll, a11yOk, signInAs } = h;

const codeFor = (phone: string, after: number) => textedCode(h.runtime(), phone, after, '关联家庭办件');

describe.sequential('linking a family case', () => {
  test('the father links the mother’s birth application with a texted code and finds it in his list (zh-CN)', async () => {
    const form = birthForm();
    const phone = form.father.phone as string;
    const token = await tokenFor(h.url(), { sub: 'parent-wang', role: 'parent' });
    const res = await fetch(`${h.url()}/applications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ service: 'birth-registration', form }),
    });
    expect(res.status).toBe(201);
    const id = ((await res.json()) as { id: string }).id;

    const page = await open({ lang: 'zh-CN' });
    await signInAs(page, 'parent', '陈静');
    await page.getByRole('link', { name: '关联家人的申请' }).click();
    await hasText(page.locator('h1'), '关联家人的申请');
    await a11yOk(page, 'parent: link a family case');
    await page.getByLabel('申请编号').fill(id);
    await page.getByLabel('您在申请表上的手机号').fill(phone);
    const asked = Date.now() - 1000;
    await page.getByRole('button', { name: '获取验证码' }).click();
    await hasText(page.getByRole('status'), '验证码已发送');
    const code = await codeFor(phone, asked);
    await page.getByLabel('短信验证码').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: '关联到我的账号' }).click();
    await hasText(page.locator('#link-code-error'), '验证码错误或已失效');
    await a11yOk(page, 'parent: wrong link code');
    await page.getByLabel('短信验证码').fill(code);
    await page.getByRole('button', { name: '关联到我的账号' }).click();
    await hasText(page.getByRole('status'), '已关联');
    await page.getByRole('link', { name: '打开申请' }).click();
    await expect.poll(() => page.url()).toContain(id);
    await hasText(page.locator('#progress-title'), '办理进度');
    await page.goto(`${h.url()}/parent/applications`);
    await expect.poll(() => page.locator(`a[href="/parent/applications/${id}"]`).count()).toBe(1);
    await closeAll();
  });

  test('the page in English, axe clean (en)', async () => {
    const page = await open({ lang: 'en' });
    await signInAs(page, 'parent', '陈静');
    await page.goto(`${h.url()}/parent/link`);
    await hasText(page.locator('h1'), 'Link a family case');
    await a11yOk(page, 'parent: link a family case (en)');
    await closeAll();
  });
});
