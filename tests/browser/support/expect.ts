/**
 * Web-first assertions for playwright-core locators under vitest (the @playwright/test runner,
 * which has its own, downloads browsers and is not used): each waits until it holds or times out.
 */
import type { Locator } from 'playwright-core';
import { expect } from 'vitest';

const TIMEOUT = 15_000;

export async function visible(loc: Locator): Promise<void> {
  await loc.first().waitFor({ state: 'visible', timeout: TIMEOUT });
}

/** Some element matched by `loc` contains `text` (or matches the pattern). */
export async function hasText(loc: Locator, text: string | RegExp): Promise<void> {
  const all = async () => {
    try {
      return (await loc.allInnerTexts()).join('\n');
    } catch {
      return '';
    }
  };
  if (typeof text === 'string') await expect.poll(all, { timeout: TIMEOUT }).toContain(text);
  else await expect.poll(all, { timeout: TIMEOUT }).toMatch(text);
}

/** The first element matched has exactly this text (trimmed), or matches the pattern. */
export async function textIs(loc: Locator, text: string | RegExp): Promise<void> {
  const first = async () => {
    try {
      return ((await loc.first().textContent({ timeout: 1_000 })) ?? '').trim();
    } catch {
      return '';
    }
  };
  if (typeof text === 'string') await expect.poll(first, { timeout: TIMEOUT }).toBe(text);
  else await expect.poll(first, { timeout: TIMEOUT }).toMatch(text);
}

export async function attributeIs(loc: Locator, name: string, value: string): Promise<void> {
  await expect.poll(() => loc.first().getAttribute(name), { timeout: TIMEOUT }).toBe(value);
}

export async function countIs(loc: Locator, n: number): Promise<void> {
  await expect.poll(() => loc.count(), { timeout: TIMEOUT }).toBe(n);
}
