/**
 * Every status of a case an agent filed (代办), on every page that shows it to the agent and to
 * the family, in Chromium against the real `npm start` runtime. For each of the state walk's
 * generic recipes (support/state-model.ts) an agent files a birth case on the guardian's letter,
 * the family claims it with the texted code and the case is driven into the recipe's state; then
 * the agent's case page (status, every step, who filed it, no action offered), the agent's list
 * and the family's case page (status, who filed it) are checked, with axe-core. The statuses seen
 * must be every status an application can have.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { appStatuses, stepStatuses } from '../../web/src/status.ts';
import type { ApplicationView, AppStatus } from '../../web/src/types.ts';
import { birthForm } from '../support/forms.ts';
import { countIs, hasText, textIs } from './support/expect.ts';
import { consoleHarness } from './support/harness.ts';
import { textedCode } from './support/sms.ts';
import { Api, type Claims, drive, recipes, type WalkContext } from './support/state-model.ts';

const h = consoleHarness();
const { open, closeAll, a11yOk, signInAs } = h;
const AGENT: Claims = {
  sub: 'agent-dongfeng',
  role: 'agent',
  agency: 'liushi-dongfeng-committee',
  township: 'liushi',
  name: '柳市镇东风村委会 林主任',
};
/** Two demo families take turns: linking is limited to 5 codes an hour per account. */
const FAMILIES: Array<{ who: Claims; name: string }> = [
  { who: { sub: 'parent-chen', role: 'parent' }, name: '陈静' },
  { who: { sub: 'parent-wang', role: 'parent' }, name: '王丽' },
];
const PDF = new TextEncoder().encode(`%PDF-1.4\n${'%'.repeat(300)}\n%%EOF\n`);

async function fileAndClaim(api: Api, family: Claims, n: number): Promise<string> {
  const ticket = await api.ok(AGENT, 'POST', '/authorisations/letters', {
    contentType: 'application/pdf',
    size: PDF.length,
  });
  const { 'content-length': _, ...headers } = ticket.upload.headers as Record<string, string>;
  expect((await fetch(ticket.upload.url, { method: 'PUT', headers, body: PDF })).status).toBeLessThan(300);
  const form = birthForm();
  // a number per case: codes are limited to 3 an hour per number
  form.mother.phone = `1390577${String(7000 + n).padStart(4, '0')}`;
  const app = await api.ok(AGENT, 'POST', '/applications', {
    service: 'birth-registration',
    form,
    authorisation: { method: 'letter', letterId: ticket.letterId },
  });
  const phone = form.mother.phone as string;
  const asked = Date.now() - 1000;
  await api.ok(family, 'POST', `/applications/${app.id}/guardians/code`, { mobile: phone });
  const code = await textedCode(h.runtime(), phone, asked, '关联家庭办件');
  await api.ok(family, 'POST', `/applications/${app.id}/guardians`, { mobile: phone, code });
  return app.id as string;
}

/** The case page: its status, each step's status, who filed it. */
async function casePage(page: Page, app: ApplicationView) {
  const main = page.locator('main');
  await textIs(main.locator('.summary-card .badge'), appStatuses[app.status]['zh-CN']);
  const items = main.locator('ol.timeline > li');
  await countIs(items, app.steps.length);
  for (const [i, s] of app.steps.entries()) {
    await textIs(items.nth(i).locator('.tl-head .badge'), stepStatuses[s.status]['zh-CN']);
  }
  await hasText(main.locator('.filed-by'), '由 柳市镇东风村委会 林主任 代办');
}

describe.sequential('a case an agent filed, in every status (代办)', () => {
  test('the agent’s case page and list and the family’s case page show each status', async () => {
    const api = new Api(h.url());
    const cases: Array<{ recipe: string; app: ApplicationView; family: number }> = [];
    for (const [n, recipe] of recipes.entries()) {
      const family = n % FAMILIES.length;
      const who = FAMILIES[family]?.who as Claims;
      const ctx: WalkContext = { api, parent: who, child: () => 0, data: {} };
      const id = await fileAndClaim(api, who, n);
      await drive(ctx, id, recipe.policy);
      if (recipe.withdraw) await api.ok(who, 'POST', `/applications/${id}/withdraw`, {});
      cases.push({ recipe: recipe.name, app: await api.read(who, id), family });
    }
    const seen = new Set(cases.map((c) => c.app.status));
    expect([...seen].sort()).toEqual((Object.keys(appStatuses) as AppStatus[]).sort());

    const agent = await open({ lang: 'zh-CN' });
    await signInAs(agent, 'agent', '东风村委会');
    const families: Page[] = [];
    for (const f of FAMILIES) {
      const page = await open({ lang: 'zh-CN' });
      await signInAs(page, 'parent', f.name);
      families.push(page);
    }
    for (const { recipe, app, family: n } of cases) {
      const family = families[n] as Page;
      // what the agent sees is what the family sees, without a single action
      const asAgent = await api.read(AGENT, app.id);
      expect(asAgent.status).toBe(app.status);
      await agent.goto(`${h.url()}/agent/applications/${app.id}`);
      await casePage(agent, asAgent);
      await hasText(agent.getByRole('note'), '补正、撤回和评价由家庭操作');
      await expect.poll(() => agent.locator('main button:not(.link-button)').count()).toBe(0);
      await a11yOk(agent, `agent: ${recipe} (${app.status})`);

      await family.goto(`${h.url()}/parent/applications/${app.id}`);
      await casePage(family, app);
      await a11yOk(family, `family: ${recipe} (${app.status})`);
    }
    await agent.goto(`${h.url()}/agent/applications`);
    for (const { app } of cases) {
      const card = agent.locator('li.app-card').filter({
        has: agent.locator(`a[href="/agent/applications/${app.id}"]`),
      });
      await textIs(card.locator('.badge'), appStatuses[app.status]['zh-CN']);
    }
    await a11yOk(agent, 'agent: filed by me, every status');
    await closeAll();
  });
});
