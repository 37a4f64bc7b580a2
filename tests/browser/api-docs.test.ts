/**
 * GET /docs in Chromium against `npm start`: the route redirects to the console's API page, which
 * Swagger UI (bundled from swagger-ui-dist, no CDN) renders from the API's own /openapi.json.
 */
import { describe, expect, test } from 'vitest';
import { hasText } from './support/expect.ts';
import { consoleHarness } from './support/harness.ts';

const h = consoleHarness();

describe('the interactive API page', () => {
  test('GET /docs shows every operation of the API, loaded from this origin only', async () => {
    const page = await h.open();
    const errors: string[] = [];
    const foreign: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('request', (req) => {
      if (!req.url().startsWith(h.url()) && !req.url().startsWith('data:')) foreign.push(req.url());
    });
    await page.goto(`${h.url()}/docs`);
    expect(new URL(page.url()).pathname).toBe('/api-docs.html');
    await hasText(page.locator('#api-docs'), 'Onestop API');
    await hasText(page.locator('#api-docs'), '/applications/{id}/steps/{step}/decision');
    await page.locator('.opblock-summary', { hasText: '/applications/{id}' }).first().click();
    await hasText(page.locator('#api-docs'), 'ApplicationView');
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await h.closeAll();
  });
});
