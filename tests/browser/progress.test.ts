/**
 * 办件进度查询 in Chromium against the real `npm start` runtime, without signing in: the front
 * page links to it; a code is texted to the number on the form (read from the local SMS sink);
 * a wrong code is refused at the field, the right one shows each step's status and due date and
 * nothing personal; asking too often is refused; zh-CN and en; axe-core clean.
 */
import { describe, expect, test } from 'vitest';
import { birthForm } from '../support/forms.ts';
import { a11y } from './support/browser.ts';
import { hasText, visible } from './support/expect.ts';
import { consoleHarness } from './support/harness.ts';
import { tokenFor } from './support/runtime.ts';
import { textedCode } from './support/sms.ts';

const h = consoleHarness();
const { open, closeAll, a11yOk } = h;
const PHONE = '13805779001';
const form = birthForm();
form.mother.phone = PHONE;
form.contact = { channels: ['sms'] };

const latestCode = (after: number) => textedCode(h.runtime(), PHONE, after, '验证码');

let appId = '';

describe.sequential('progress lookup without signing in', () => {
  test('a wrong code is refused; the right one shows each step and nothing personal (zh-CN)', async () => {
    const token = await tokenFor(h.url(), { sub: 'progress-browser-parent', role: 'parent' });
    const res = await fetch(`${h.url()}/applications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ service: 'birth-registration', form }),
    });
    expect(res.status).toBe(201);
    appId = ((await res.json()) as { id: string }).id;

    const page = await open({ lang: 'zh-CN' });
    await page.goto(h.url());
    await page.getByRole('link', { name: '办件进度查询' }).click();
    await hasText(page.locator('h1'), '办件进度查询');
    await a11yOk(page, 'progress: empty');

    await page.getByLabel('申请编号').fill(appId);
    await page.getByLabel('手机号').fill(PHONE);
    const asked = Date.now() - 1000;
    await page.getByRole('button', { name: '获取验证码' }).click();
    await hasText(page.getByRole('status'), '验证码已发送');
    const code = await latestCode(asked);

    await page.getByLabel('短信验证码').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: '查询进度' }).click();
    await visible(page.locator('#progress-code-error'));
    await hasText(page.locator('#progress-code-error'), '验证码错误或已失效');
    expect(await page.getByLabel('短信验证码').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.progress-result').count()).toBe(0);
    await a11yOk(page, 'progress: wrong code');

    await page.getByLabel('短信验证码').fill(code);
    await page.getByRole('button', { name: '查询进度' }).click();
    const result = page.locator('.progress-result');
    await hasText(result, '出生医学证明');
    await hasText(result, appId);
    const shown = (await result.textContent()) ?? '';
    for (const secret of [
      form.child.name,
      form.mother.name,
      form.mother.idNumber,
      form.father.name,
      form.hukou.address,
      form.delivery.address,
      PHONE,
    ])
      expect(shown).not.toContain(secret);
    await a11yOk(page, 'progress: result');

    // asking again and again for the same number is refused (3 codes per number and hour)
    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.getByRole('button', { name: '获取验证码' }).click();
    await hasText(page.getByRole('alert'), '请求过于频繁');
    await closeAll();
  });

  test('in English, with field-level messages for bad input', async () => {
    const page = await open({ lang: 'en' });
    await page.goto(`${h.url()}/track`);
    await hasText(page.locator('h1'), 'Track an application');
    await page.getByLabel('Application number').fill('not-a-number');
    await page.getByLabel('Mobile number').fill('12345');
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await visible(page.locator('#progress-applicationNumber-error'));
    await hasText(page.locator('#progress-mobile-error'), 'mainland China mobile number');
    await a11yOk(page, 'progress: bad input (en)');
    await closeAll();
  });

  test('axe-core: no serious or critical violations on these pages', () => {
    expect(a11y.checked.length).toBeGreaterThanOrEqual(4);
    expect(a11y.findings).toEqual([]);
  });
});
