/**
 * Local runtime only, never deployed (ServiceModule.local.demo). Optional demo data
 * (ONESTOP_DEMO=1): a few birth applications in different states, submitted
 * and decided through the public API like real users would. Skipped when the demo parent
 * already has applications, so restarts do not duplicate them.
 */
import { readFileSync } from 'node:fs';

type Log = (line: string) => void;

async function token(base: string, claims: Record<string, string>): Promise<string> {
  const res = await fetch(`${base}/local/token`, { method: 'POST', body: JSON.stringify(claims) });
  return ((await res.json()) as { token: string }).token;
}

async function call(base: string, tok: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return res.json() as Promise<{ id: string; items?: unknown[] }>;
}

export async function seedDemo(base: string, log: Log) {
  const parent = await token(base, { sub: 'parent-wang', role: 'parent', email: 'wang.li@example.com' });
  const mine = await call(base, parent, 'GET', '/applications');
  if ((mine.items ?? []).length > 0) {
    log('[demo] demo applications exist already');
    return;
  }
  const form = JSON.parse(
    readFileSync(new URL('../../../tests/fixtures/forms/birth-registration.json', import.meta.url), 'utf8'),
  );
  const birth = new Date(Date.now() - 2 * 86_400_000 + 8 * 3600_000);
  form.child.birthAt = `${birth.toISOString().slice(0, 19)}+08:00`;
  const first = await call(base, parent, 'POST', '/applications', { service: 'birth-registration', form });
  const health = await token(base, { sub: 'cw-health', role: 'caseworker', agency: 'health' });
  await call(base, health, 'POST', `/applications/${first.id}/steps/birth-certificate/decision`, {
    decision: 'approve',
    outputs: { certificateNumber: 'Q330100001' },
  });
  const second = await call(base, parent, 'POST', '/applications', {
    service: 'birth-registration',
    form: { ...form, child: { ...form.child, name: '王小红', sex: 'female' } },
  });
  log(`[demo] submitted demo applications ${first.id} and ${second.id} for parent-wang`);
}
