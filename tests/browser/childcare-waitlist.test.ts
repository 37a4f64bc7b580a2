/**
 * Childcare registrations that wait, in Chromium against `npm start`: one entered in a round (the
 * draw is after the deadline) and one on a full nursery's waitlist. Their pages once blanked
 * (issue 13: the step status `waiting` had no label in the console). Also the console's safety
 * nets: a busy API (503) is retried for reads, a server fault shows its request id, and a page
 * that fails to render keeps the shell and offers a retry.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { childForm, upcoming } from '../support/childcare.ts';
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
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

const wang = { sub: 'parent-wang', role: 'parent' };
const chen = { sub: 'parent-chen', role: 'parent' };
const health = { sub: 'cw-health', role: 'caseworker', agency: 'health' };

/** Page errors (uncaught exceptions) seen on a page, from now on. */
function pageErrors(page: Page): string[] {
  const seen: string[] = [];
  page.on('pageerror', (err) => seen.push(`${err.name}: ${err.message}`));
  return seen;
}

async function nursery(id: string, name: string, intake: { capacity: number; roundDeadline?: string }) {
  const { term } = upcoming();
  const put = await call(health, 'PUT', `/childcare/nurseries/${id}`, {
    name: { 'zh-CN': name, en: `${id} nursery` },
    township: 'liushi',
    address: '柳市镇长街 1 号',
    licenceNumber: `330382TY${id.length}0${intake.capacity}99`,
    type: intake.roundDeadline ? 'public' : 'inclusive',
    places: { toddler: 10 },
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  const opened = await call(health, 'PUT', `/childcare/nurseries/${id}/intakes/${term}/toddler`, {
    capacity: intake.capacity,
    mode: intake.roundDeadline ? 'round' : 'rolling',
    ...(intake.roundDeadline ? { roundDeadline: intake.roundDeadline } : {}),
  });
  expect(opened.status, JSON.stringify(opened.body)).toBe(200);
}

async function register(who: Record<string, string>, child: number, preferences: string[]) {
  const { term, birthDate } = upcoming();
  const form = childForm(child, { term, birthDate, preferences });
  const app = await call(who, 'POST', '/applications', { service: 'childcare-slot', form });
  expect(app.status, JSON.stringify(app.body)).toBe(201);
  return app.body as { id: string; steps: Array<{ step: string; status: string }> };
}

/** The deadline of the term's round (the seed register opens one; a new round intake shares it). */
async function roundDeadline(): Promise<string> {
  const round = await call(health, 'GET', `/childcare/rounds/${upcoming().term}`);
  expect(round.status, JSON.stringify(round.body)).toBe(200);
  return round.body.deadline as string;
}

describe.sequential('childcare registrations that wait, in the parent portal', () => {
  const ids = { round: '', waitlisted: '' };

  test('a registration entered in a round shows its page with the status, not a blank page', async () => {
    const deadline = await roundDeadline();
    await nursery('browser-round', '乐清市机关托育园', { capacity: 3, roundDeadline: deadline });
    const app = await register(wang, 301, ['browser-round']);
    expect(app.steps.find((s) => s.step === 'allocate')?.status).toBe('waiting');
    ids.round = app.id;

    const page = await open();
    const errors = pageErrors(page);
    await signInAs(page, 'parent', '王丽');
    await page.goto(`${h.url()}/parent/applications/${app.id}`);
    await hasText(page.locator('main'), '等待分配');
    expect(errors).toEqual([]);
    await a11yOk(page, 'parent: childcare round pending');
    await closeAll();
  });

  test('the round’s registration shows the nursery, the round’s deadline and what happens next', async () => {
    const page = await open();
    await signInAs(page, 'parent', '王丽');
    await page.goto(`${h.url()}/parent/applications/${ids.round}`);
    const card = page.getByTestId('waitlist');
    await hasText(card, '乐清市机关托育园 · 托小班');
    await hasText(card, `参加 ${upcoming().term} 学期批次分配，报名截止 ${chinaDate(await roundDeadline())}`);
    await hasText(card, '报名截止后，系统按优先积分排序');
    await page.getByRole('button', { name: 'English' }).click();
    await hasText(card, 'registration closes');
    await closeAll();
  });

  test('a registration on a full nursery’s waitlist shows its page with the status', async () => {
    await nursery('browser-full', '柳市小太阳托育园', { capacity: 1 });
    await register(chen, 302, ['browser-full']);
    const app = await register(wang, 303, ['browser-full']);
    expect(app.steps.find((s) => s.step === 'allocate')?.status).toBe('waiting');
    ids.waitlisted = app.id;

    const page = await open();
    const errors = pageErrors(page);
    await signInAs(page, 'parent', '王丽');
    await page.goto(`${h.url()}/parent/applications/${app.id}`);
    await hasText(page.locator('main'), '等待分配');
    await hasText(page.getByTestId('waitlist'), '候补第 1 位（共 1 人）');
    await hasText(page.getByTestId('waitlist'), '按候补顺序依次发出托位');
    await a11yOk(page, 'parent: childcare waitlisted');
    await page.goto(`${h.url()}/parent/applications`);
    await hasText(page.locator('main'), '办理中');
    expect(errors).toEqual([]);
    await closeAll();
  });
});

/** A date as the console writes it in zh-CN, China time: 2027/01/14. */
const chinaDate = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '/');

/** The API read of one application (not the console page of the same path under /parent). */
const apiRead = (id: string) => (url: URL) => url.pathname === `/applications/${id}`;

describe.sequential('the console’s safety nets', () => {
  beforeAll(() => nursery('browser-none', '柳市满园托育园', { capacity: 0 }));

  test('a read answered 503 (store busy) is retried and the page shows', async () => {
    const app = await register(wang, 311, ['browser-none']);
    const page = await open();
    await signInAs(page, 'parent', '王丽');
    let busy = 2;
    await page.route(apiRead(app.id), async (route) => {
      if (busy-- > 0) {
        await route.fulfill({
          status: 503,
          headers: { 'retry-after': '0', 'content-type': 'application/json' },
          body: JSON.stringify({
            error: { code: 'SERVICE_BUSY', message: '系统繁忙', requestId: 'req-busy' },
          }),
        });
      } else await route.continue();
    });
    await page.goto(`${h.url()}/parent/applications/${app.id}`);
    await hasText(page.locator('main'), '等待分配');
    expect(busy).toBeLessThan(0);
    await closeAll();
  });

  test('a server fault shows its request id', async () => {
    const app = await register(wang, 312, ['browser-none']);
    const page = await open();
    await signInAs(page, 'parent', '王丽');
    await page.route(apiRead(app.id), (route) =>
      route.fulfill({
        status: 503,
        headers: { 'retry-after': '0', 'content-type': 'application/json' },
        body: JSON.stringify({
          error: {
            code: 'SERVICE_BUSY',
            message: '系统繁忙，请稍后重试',
            messages: { 'zh-CN': '系统繁忙，请稍后重试', en: 'The service is busy; please retry shortly' },
            requestId: 'req-7f3a',
          },
        }),
      }),
    );
    await page.goto(`${h.url()}/parent/applications/${app.id}`);
    await hasText(page.getByRole('alert'), 'req-7f3a');
    await closeAll();
  });

  test('a page that fails to render keeps the shell, says nothing was lost, and retries', async () => {
    const app = await register(wang, 313, ['browser-none']);
    const page = await open();
    await signInAs(page, 'parent', '王丽');
    // a reply the page cannot render (steps is not a list)
    const read = apiRead(app.id);
    await page.route(read, async (route) => {
      const res = await route.fetch();
      await route.fulfill({ response: res, json: { ...(await res.json()), steps: 7 } });
    });
    await page.goto(`${h.url()}/parent/applications/${app.id}`);
    const failed = page.getByTestId('page-failed');
    await hasText(failed, '页面出错了');
    await hasText(failed, '没有丢失');
    await visible(page.getByRole('navigation', { name: '栏目导航' }));
    await a11yOk(page, 'page failed');
    await page.unroute(read);
    await failed.getByRole('button', { name: '重试' }).click();
    await hasText(page.locator('main'), '等待分配');
    await closeAll();
  });
});
