/**
 * The console is split per role and per page (issue 18): a parent filling in a form loads no
 * caseworker or auditor code and no charting library; a caseworker's queue loads the queue and no
 * charts; the auditor's dashboard loads the charts. Measured on the built console served by the
 * real `npm start` runtime, from the scripts Chromium actually requests.
 */
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { visible } from './support/expect.ts';
import { consoleHarness } from './support/harness.ts';

const h = consoleHarness();
const { open, closeAll, signInAs } = h;

/** The console's JavaScript files the page requested, by file name (Vite's `name-hash.js`). */
function scripts(page: Page): { names: () => string[]; gzipBytes: () => Promise<number> } {
  const responses: Array<{ name: string; body: () => Promise<Buffer> }> = [];
  page.on('response', (res) => {
    const path = new URL(res.url()).pathname;
    if (path.startsWith('/assets/') && path.endsWith('.js'))
      responses.push({ name: path.slice('/assets/'.length), body: () => res.body() });
  });
  return {
    names: () => responses.map((r) => r.name),
    gzipBytes: async () => {
      let total = 0;
      for (const r of responses) total += gzipSync(await r.body(), { level: 9 }).length;
      return total;
    },
  };
}

// chunks named after the pages and components that only staff open
const staffOnly =
  /^(Queue|CaseView|FollowUps|RehabDesk|AllowanceDesk|Dashboard|Operations|IndicatorBoard|YearlyReport|Ratings|chart-setup)-/;

describe.sequential('the console loads code per role', () => {
  test('a parent’s form loads no staff page, no charts, and at most 120 KB of compressed JavaScript', async () => {
    const page = await open();
    await signInAs(page, 'parent', '王丽');
    // the signed-in page's own chunks settle first: only the form's load is counted
    await page.waitForLoadState('networkidle');
    // a fresh page load of the form, as from a link on a phone
    const loaded = scripts(page);
    await page.goto(`${h.url()}/parent/apply/birth-registration`);
    // the form's first section (办理事项)
    await visible(page.locator('#section-heading'));
    expect(loaded.names().some((n) => n.startsWith('Apply-'))).toBe(true);
    expect(loaded.names().filter((n) => staffOnly.test(n))).toEqual([]);
    expect(await loaded.gzipBytes()).toBeLessThanOrEqual(120 * 1024);
    await closeAll();
  });

  test('a caseworker’s queue loads the queue and no charts; the auditor’s dashboard loads the charts', async () => {
    const caseworker = await open();
    await signInAs(caseworker, 'caseworker', '卫健局 张医生');
    await caseworker.waitForLoadState('networkidle');
    const queue = scripts(caseworker);
    await caseworker.goto(`${h.url()}/caseworker`);
    await visible(caseworker.locator('h1'));
    expect(queue.names().some((n) => n.startsWith('Queue-'))).toBe(true);
    expect(queue.names().filter((n) => /^(chart-setup|Dashboard|Apply)-/.test(n))).toEqual([]);

    const auditor = await open();
    await signInAs(auditor, 'auditor', '钱审计员');
    await auditor.waitForLoadState('networkidle');
    const dashboard = scripts(auditor);
    await auditor.goto(`${h.url()}/auditor`);
    await visible(auditor.locator('h1'));
    await expect.poll(() => dashboard.names().some((n) => n.startsWith('chart-setup-'))).toBe(true);
    await closeAll();
  });
});
