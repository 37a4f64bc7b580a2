/** Fixture forms, cloned before change, with dates moved relative to "now" where rules need it. */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { makeIdNumber } from '#core/id-number';

/**
 * The service's fixture form. A rehab-aid fixture names a new child each time (one open
 * application per child): same birth date and sex, another ID number, its 残疾人证 number to
 * match; `{ sameChild: true }` keeps the fixture's child (renewals, duplicates).
 */
export function fixtureForm(service: string, opts: { sameChild?: boolean } = {}): Record<string, any> {
  const form = JSON.parse(
    readFileSync(new URL(`../fixtures/forms/${service}.json`, import.meta.url), 'utf8'),
  );
  if (service === 'rehab-aid' && !opts.sameChild) freshChild(form);
  return form;
}

const REGIONS = ['330382', '330381', '330327', '330328', '330329', '330324', '330302', '330303', '330304'];

/** Distinct within a test file (each file has its own table or runtime): 9 regions × 100. */
let nextChild = randomInt(REGIONS.length * 100);

function freshChild(form: Record<string, any>) {
  const old: string = form.child.idNumber;
  const n = nextChild++ % (REGIONS.length * 100);
  // the sequence's last digit carries the sex: keep it
  const seq = `${String(n % 100).padStart(2, '0')}${old[16]}`;
  const region = REGIONS[Math.floor(n / 100)] as string;
  form.child.idNumber = makeIdNumber(region, form.child.birthDate, seq);
  const cert = form.disability?.certificateNumber as string | undefined;
  if (cert) form.disability.certificateNumber = `${form.child.idNumber}${cert.slice(18)}`;
}

/** The birth fixture with the birth `daysAgo` days before `now` (China time). */
export function birthForm(now = new Date(), daysAgo = 3): Record<string, any> {
  const form = fixtureForm('birth-registration');
  const birth = new Date(now.getTime() - daysAgo * 86_400_000);
  form.child.birthAt = `${new Date(birth.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
  return form;
}
