/**
 * Filing for a family (代办) in Chromium against the real `npm start` runtime: a village
 * committee's agent filed a rehab case on the guardian's 委托书 (through the API, with the letter
 * in the local S3); in the console the agent finds it under "filed by me" and reads it without
 * any action, and the review page of a new filing asks for the guardian's authorisation; the
 * family claims the case with a texted code, sees who filed it, opens the letter and withdraws
 * it; the township caseworker sees who filed it. zh-CN and en; axe-core clean.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { fixtureForm } from '../support/forms.ts';
import { hasText } from './support/expect.ts';
import { consoleHarness } from './support/harness.ts';
import { tokenFor } from './support/runtime.ts';
import { textedCode } from './support/sms.ts';

const h = consoleHarness();
const { open, closeAll, a11yOk, signInAs } = h;
const AGENT = {
  sub: 'agent-dongfeng',
  role: 'agent',
  agency: 'liushi-dongfeng-committee',
  township: 'liushi',
  name: '柳市镇东风村委会 林主任',
};
const FAMILY = { sub: 'parent-chen', role: 'parent' };
const PDF = new TextEncoder().encode(`%PDF-1.4\n${'%'.repeat(600)}\n%%EOF\n`);

async function call(claims: Record<string, string>, method: string, path: string, body?: unknown) {
  const token = await tokenFor(h.url(), claims as never);
  const res = await fetch(`${h.url()}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** The agent uploads the letter and files a rehab case with it; answers the case's id and form. */
async function fileWithLetter(): Promise<{ id: string; phone: string }> {
  const ticket = await call(AGENT, 'POST', '/authorisations/letters', {
    contentType: 'application/pdf',
    size: PDF.length,
  });
  expect(ticket.status).toBe(201);
  const { 'content-length': _, ...headers } = ticket.body.upload.headers as Record<string, string>;
  const put = await fetch(ticket.body.upload.url, { method: 'PUT', headers, body: PDF });
  expect(put.status).toBeLessThan(300);
  const form = fixtureForm('rehab-aid');
  const created = await call(AGENT, 'POST', '/applications', {
    service: 'rehab-aid',
    form,
    authorisation: { method: 'letter', letterId: ticket.body.letterId },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { id: created.body.id, phone: form.guardian.phone };
}

async function familyLinks(id: string, phone: string) {
  const asked = Date.now() - 1000;
  expect((await call(FAMILY, 'POST', `/applications/${id}/guardians/code`, { mobile: phone })).status).toBe(
    200,
  );
  const code = await textedCode(h.runtime(), phone, asked, '关联家庭办件');
  const linked = await call(FAMILY, 'POST', `/applications/${id}/guardians`, { mobile: phone, code });
  expect(linked.status, JSON.stringify(linked.body)).toBe(200);
}

const noWithdraw = async (page: Page) =>
  expect.poll(() => page.getByRole('button', { name: /撤回申请|Withdraw/ }).count()).toBe(0);

describe.sequential('filing for a family (代办)', () => {
  let id = '';
  let phone = '';

  test('the agent finds the filing, reads it without actions, and is asked for the authorisation (zh-CN)', async () => {
    ({ id, phone } = await fileWithLetter());
    const page = await open({ lang: 'zh-CN' });
    await signInAs(page, 'agent', '东风村委会');
    await hasText(page.locator('.area-nav'), '代办事项');
    await page.getByRole('link', { name: '我代办的申请' }).click();
    await hasText(page.locator('h1'), '我代办的申请');
    await a11yOk(page, 'agent: filed by me');
    await page.locator(`a[href="/agent/applications/${id}"]`).click();
    await hasText(page.locator('.filed-by'), '由 柳市镇东风村委会 林主任 代办');
    await hasText(page.locator('.filed-by'), '凭监护人委托书');
    await hasText(page.getByRole('note'), '补正、撤回和评价由家庭操作');
    await hasText(page.locator('#progress-title'), '办理进度');
    await noWithdraw(page);
    await a11yOk(page, 'agent: a filed case');

    // a new filing: the review step asks for the guardian's authorisation first
    await page.goto(`${h.url()}/agent/apply/rehab-aid`);
    await page.getByRole('button', { name: '核对并提交' }).click();
    await hasText(page.locator('.authorisation h3'), '监护人委托');
    await page.getByLabel(/本人承诺/).check();
    await page.getByRole('button', { name: '提交申请' }).click();
    await hasText(page.locator('#authorisation-error'), '请选择委托书文件');
    await page.getByLabel('监护人短信验证码').check();
    await expect.poll(() => page.getByLabel('监护人手机号', { exact: false }).count()).toBe(1);
    await a11yOk(page, 'agent: authorisation on the review step');
    await closeAll();
  });

  test('the family claims it, sees who filed it, opens the letter and withdraws it (zh-CN)', async () => {
    await familyLinks(id, phone);
    const page = await open({ lang: 'zh-CN' });
    await signInAs(page, 'parent', '陈静');
    await page.goto(`${h.url()}/parent/applications/${id}`);
    await hasText(page.locator('.filed-by'), '由 柳市镇东风村委会 林主任 代办');
    const [link] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/applications/${id}/authorisation-letter`)),
      page.getByRole('button', { name: '查看委托书' }).click(),
    ]);
    expect(link.status()).toBe(200);
    const letter = await fetch(((await link.json()) as { url: string }).url);
    expect(new Uint8Array(await letter.arrayBuffer())).toEqual(PDF);
    await a11yOk(page, 'parent: a case an agent filed');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: '撤回申请' }).click();
    await hasText(page.getByRole('status').first(), '已撤回');
    const events = await call(FAMILY, 'GET', `/applications/${id}/events`);
    const types = (events.body.items as Array<{ type: string }>).map((e) => e.type);
    expect(types).toContain('authorisation-viewed');
    expect(types).toContain('withdrawn');
    await closeAll();
  });

  test('the caseworker sees who filed a case; the agent’s pages in English (en)', async () => {
    const other = await fileWithLetter();
    const cw = await open({ lang: 'zh-CN' });
    await signInAs(cw, 'caseworker', '柳市镇残联');
    await cw.goto(`${h.url()}/caseworker/cases/${other.id}`);
    await hasText(cw.locator('.filed-by'), '凭监护人委托书');
    await a11yOk(cw, 'caseworker: a case an agent filed');

    const page = await open({ lang: 'en' });
    await signInAs(page, 'agent', '东风村委会');
    await page.goto(`${h.url()}/agent/applications/${other.id}`);
    await hasText(page.locator('.filed-by'), "on the guardian's letter of authorisation");
    await hasText(page.getByRole('note'), 'ID numbers are masked');
    await noWithdraw(page);
    await a11yOk(page, 'agent: a filed case (en)');
    await closeAll();
  });
});
