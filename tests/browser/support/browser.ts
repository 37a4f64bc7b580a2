/**
 * Debian's Chromium driven by playwright-core (no browser download), axe-core checks and
 * screenshots. CHROMIUM_PATH overrides the executable.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../../screenshots');

export const viewports = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 375, height: 812 },
} as const;
export type ViewportName = keyof typeof viewports;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface ContextOptions {
  lang?: 'zh-CN' | 'en';
  viewport?: ViewportName;
  /** a session to put in sessionStorage before the app starts (skips the sign-in page) */
  session?: { token: string; user: Record<string, string> };
}

export async function newContext(browser: Browser, opts: ContextOptions = {}): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    viewport: viewports[opts.viewport ?? 'desktop'],
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    reducedMotion: 'reduce',
  });
  ctx.setDefaultTimeout(15_000);
  await ctx.addInitScript(
    ({ lang, session }) => {
      if (lang && !sessionStorage.getItem('onestop.test.langSet')) {
        localStorage.setItem('onestop.lang', lang);
        sessionStorage.setItem('onestop.test.langSet', '1');
      }
      if (session && !sessionStorage.getItem('onestop.test.sessionSet')) {
        sessionStorage.setItem('onestop.session', JSON.stringify(session));
        sessionStorage.setItem('onestop.test.sessionSet', '1');
      }
    },
    { lang: opts.lang, session: opts.session },
  );
  return ctx;
}

export interface A11yFinding {
  page: string;
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Every page checked, and the serious or critical violations found. */
export const a11y = { checked: [] as string[], findings: [] as A11yFinding[], ms: 0 };

export async function checkA11y(page: Page, name: string): Promise<A11yFinding[]> {
  const started = Date.now();
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    // only violations are reported; legacy mode runs axe in the page itself instead of opening a
    // second page per check (the console has no cross-origin frames): about 3x faster
    .options({ resultTypes: ['violations'] })
    .setLegacyMode(true)
    .analyze();
  const found = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      page: name,
      id: v.id,
      impact: v.impact ?? '',
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  a11y.checked.push(name);
  a11y.ms += Date.now() - started;
  a11y.findings.push(...found);
  return found;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  return file;
}
