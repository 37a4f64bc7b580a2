/** Fixture forms, cloned before change, with dates moved relative to "now" where rules need it. */
import { readFileSync } from 'node:fs';

export function fixtureForm(service: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`../fixtures/forms/${service}.json`, import.meta.url), 'utf8'));
}

/** The birth fixture with the birth `daysAgo` days before `now` (China time). */
export function birthForm(now = new Date(), daysAgo = 3): Record<string, any> {
  const form = fixtureForm('birth-registration');
  const birth = new Date(now.getTime() - daysAgo * 86_400_000);
  form.child.birthAt = `${new Date(birth.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
  return form;
}
