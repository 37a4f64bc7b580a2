/**
 * The console's first paint on a phone (issue 18): builds the console, serves it with the real
 * `npm start` runtime (which serves it as CloudFront does: gzip, cache headers), and runs
 * Lighthouse (pinned in devDependencies) in its default mobile mode — a mid-range phone on a slow
 * 4G network, simulated — against Debian's Chromium on three pages:
 *   the landing page; the parent's form (signed in as a demo parent); the caseworker's queue
 *   (signed in as a demo caseworker).
 * Signing in happens in the same tab first (the session lives in sessionStorage), and Lighthouse
 * is told not to clear the storage; the HTTP cache is cleared, so each page loads as on a first
 * visit. Each page's performance, accessibility and best-practices
 * scores, its main timings and the JavaScript it loaded (bytes over the wire, gzip) go to
 * bench/results/lighthouse.json; the README quotes them.
 *
 * `npm run bench lighthouse`; LIGHTHOUSE_RUNS (default 3) runs per page, the median reported.
 */
import { spawnSync } from 'node:child_process';
import lighthouse, { type Flags, type RunnerResult } from 'lighthouse';
import puppeteer, { type Page } from 'puppeteer-core';
import { startOnestop } from '../tests/browser/support/runtime.ts';
import { median } from './stats.ts';
import { table, writeResult } from './support.ts';

const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Target {
  name: string;
  path: string;
  /** the sign-in page of the area and the demo user picked there */
  signIn?: { area: 'parent' | 'caseworker'; user: string };
  /** the page is ready once this selector shows */
  ready: string;
}

const targets: Target[] = [
  { name: 'landing page', path: '/', ready: 'h1' },
  {
    name: "parent's form",
    path: '/parent/apply/birth-registration',
    signIn: { area: 'parent', user: '王丽' },
    ready: '#section-heading',
  },
  {
    name: "caseworker's queue",
    path: '/caseworker',
    signIn: { area: 'caseworker', user: '卫健局 张医生' },
    ready: 'table, .empty, main h1',
  },
];

async function signIn(page: Page, base: string, area: string, user: string) {
  await page.goto(`${base}/${area}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('button');
  const clicked = await page.evaluate((name) => {
    const button = Array.from(document.querySelectorAll('button')).find((b) => b.textContent?.includes(name));
    button?.click();
    return Boolean(button);
  }, user);
  if (!clicked) throw new Error(`no sign-in button for ${user}`);
  await page.waitForFunction((name) => document.querySelector('.who')?.textContent?.includes(name), {}, user);
}

const score = (lhr: RunnerResult['lhr'], id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
const numeric = (lhr: RunnerResult['lhr'], id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;

/** The scripts the page loaded: bytes over the wire (gzip from the runtime) and uncompressed. */
function scripts(lhr: RunnerResult['lhr']): { transferKB: number; resourceKB: number; files: number } {
  const items = ((lhr.audits['network-requests']?.details as { items?: unknown[] } | undefined)?.items ??
    []) as Array<{ resourceType?: string; transferSize?: number; resourceSize?: number }>;
  const js = items.filter((i) => i.resourceType === 'Script');
  return {
    transferKB: js.reduce((n, i) => n + (i.transferSize ?? 0), 0) / 1024,
    resourceKB: js.reduce((n, i) => n + (i.resourceSize ?? 0), 0) / 1024,
    files: js.length,
  };
}

async function main() {
  const started = Date.now();
  const build = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('the console did not build');
  const rt = await startOnestop();
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  const version = await browser.version();
  try {
    const rows = [];
    const failed: string[] = [];
    for (const target of targets) {
      const runs: RunnerResult['lhr'][] = [];
      for (let n = 0; n < RUNS; n++) {
        const page = await browser.newPage();
        if (target.signIn) await signIn(page, rt.url, target.signIn.area, target.signIn.user);
        // a first visit: nothing of the console in the HTTP cache (the sign-in loaded it)
        const cdp = await page.createCDPSession();
        await cdp.send('Network.clearBrowserCache');
        await cdp.detach();
        const flags: Flags = {
          output: 'json',
          logLevel: 'error',
          onlyCategories: ['performance', 'accessibility', 'best-practices'],
          // the session (sessionStorage of this tab) must survive
          disableStorageReset: true,
        };
        const result = await lighthouse(`${rt.url}${target.path}`, flags, undefined, page);
        if (!result) throw new Error(`Lighthouse returned nothing for ${target.name}`);
        if (result.lhr.runtimeError) throw new Error(`${target.name}: ${result.lhr.runtimeError.message}`);
        // the page Lighthouse measured is the one asked for (not a sign-in page)
        const final = new URL(result.lhr.finalDisplayedUrl).pathname;
        if (final !== target.path) throw new Error(`${target.name}: ended on ${final}`);
        runs.push(result.lhr);
        await page.close();
        process.stdout.write(`\r${target.name}: run ${n + 1}/${RUNS}   `);
      }
      process.stdout.write('\n');
      // the run with the median performance score stands for the page
      const byPerf = [...runs].sort((a, b) => score(a, 'performance') - score(b, 'performance'));
      const lhr = byPerf[Math.floor(byPerf.length / 2)]!;
      const js = scripts(lhr);
      const failing = (id: string) =>
        Object.values(lhr.audits)
          .filter((a) => lhr.categories[id]?.auditRefs.some((r) => r.id === a.id && r.weight > 0))
          .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative')
          .map((a) => a.id);
      rows.push({
        page: target.name,
        performance: score(lhr, 'performance'),
        'performance (runs)': runs.map((r) => score(r, 'performance')).join('/'),
        accessibility: score(lhr, 'accessibility'),
        'best practices': score(lhr, 'best-practices'),
        'FCP ms': Math.round(median(runs.map((r) => numeric(r, 'first-contentful-paint')))),
        'LCP ms': Math.round(median(runs.map((r) => numeric(r, 'largest-contentful-paint')))),
        'TBT ms': Math.round(median(runs.map((r) => numeric(r, 'total-blocking-time')))),
        CLS: Number(median(runs.map((r) => numeric(r, 'cumulative-layout-shift'))).toFixed(3)),
        'JS files': js.files,
        'JS KB gzip': Number(js.transferKB.toFixed(1)),
        'JS KB': Number(js.resourceKB.toFixed(1)),
        'below 1 (a11y, best practices)': [...failing('accessibility'), ...failing('best-practices')].join(
          ' ',
        ),
      });
      const last = rows.at(-1)!;
      if (last.performance < 90 || last.accessibility < 100 || last['best practices'] < 95)
        failed.push(target.name);
    }
    table(rows);
    writeResult('lighthouse', {
      lighthouse: '12.2.3',
      chromium: version,
      mode: 'mobile (Lighthouse default: Moto G Power class device, slow 4G and 4× CPU slowdown, simulated)',
      runs: RUNS,
      targets: { performance: 90, accessibility: 100, bestPractices: 95, parentFormJsKBgzip: 120 },
      seconds: Math.round((Date.now() - started) / 1000),
      rows,
    });
    if (failed.length > 0) console.log(`below the targets: ${failed.join(', ')}`);
  } finally {
    await browser.close();
    await rt.stop();
  }
}

await main();
