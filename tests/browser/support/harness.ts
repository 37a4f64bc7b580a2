/**
 * One browser test file's setup: the `npm start` runtime and Chromium, started before the file's
 * tests and stopped after them, plus the helpers every file uses (a fresh browser profile per
 * page, closing them, axe-core, signing in through the sign-in page).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { type ContextOptions, checkA11y, launchChromium, newContext } from './browser.ts';
import { ensureWebBuilt, type Onestop, startOnestop } from './runtime.ts';

export function consoleHarness() {
  let rt: Onestop | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureWebBuilt((line) => console.log(line));
    [rt, browser] = await Promise.all([startOnestop(), launchChromium()]);
  }, 150_000);

  const closeAll = async () => {
    while (contexts.length) {
      const ctx = contexts.pop();
      // a route callback still in flight must not outlive its page as an unhandled rejection
      await ctx?.unrouteAll({ behavior: 'ignoreErrors' });
      await ctx?.close();
    }
  };

  afterAll(async () => {
    await closeAll();
    await browser?.close();
    const code = await rt?.stop();
    expect(code).toBe(0);
  }, 60_000);

  const runtime = (): Onestop => {
    if (!rt) throw new Error('the runtime is not started yet (use it inside a test)');
    return rt;
  };

  return {
    /** base URL of the running service */
    url: () => runtime().url,
    runtime,
    /** a page in a fresh browser profile (own storage), closed by closeAll() */
    async open(opts: ContextOptions = {}): Promise<Page> {
      if (!browser) throw new Error('Chromium is not started yet');
      const ctx = await newContext(browser, opts);
      contexts.push(ctx);
      return ctx.newPage();
    },
    closeAll,
    /** axe-core on the page as it is now; findings fail the test softly (all pages get checked) */
    async a11yOk(page: Page, name: string) {
      const found = await checkA11y(page, name);
      expect.soft(found, `${name}: ${JSON.stringify(found, null, 2)}`).toEqual([]);
    },
    /** signs in through the area's sign-in page by picking a demo user */
    async signInAs(page: Page, area: 'parent' | 'agent' | 'caseworker' | 'auditor', name: string) {
      await page.goto(`${runtime().url}/${area}`);
      await page.getByRole('button', { name: new RegExp(name) }).click();
      await expect.poll(() => page.locator('.who').textContent()).toContain(name);
    },
  };
}
