/**
 * Reference data admins maintain reaches the forms (issue 17: never code constants): a township
 * and a hospital an admin adds are listed by `GET /reference/{kind}` and accepted on forms; an
 * unknown township is still a field error. Real handlers on DynamoDB Local.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chinaYear } from '#services/rehab-aid/eligibility';
import { birthForm, fixtureForm } from '../support/forms.ts';
import { type Claims, setupHandlers } from '../support/invoke.ts';

let ctx: Awaited<ReturnType<typeof setupHandlers>>;
beforeAll(async () => {
  // check against the stored reference data on every submission (in production: once a minute)
  process.env.REFERENCE_TTL_MS = '0';
  ctx = await setupHandlers();
});

const admin: Claims = { sub: 'admin-ref', role: 'admin' };
const parent: Claims = { sub: 'parent-ref', role: 'parent', email: 'ref@example.com' };
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

const rehabIn = (township: string) => {
  const form = fixtureForm('rehab-aid');
  form.application.aidYear = chinaYear(new Date());
  form.child.township = township;
  return form;
};

describe('reference data in the forms', () => {
  it('accepts a township an admin adds, and lists it; an unknown one stays a field error', async () => {
    const unknown = await ctx.invoke('POST /applications', parent, {
      body: { service: 'rehab-aid', form: rehabIn('xinhe') },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields.map((f: { path: string }) => f.path)).toContain('form.child.township');

    const added = await ctx.invoke('PUT /admin/reference/{kind}/{id}', admin, {
      params: { kind: 'townships', id: 'xinhe' },
      body: {
        version: 0,
        effectiveFrom: '2024-01-01',
        values: { nameZh: '新河街道', nameEn: 'Xinhe Subdistrict', kind: '街道', population: 41000 },
      },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    const listed = await ctx.invoke('GET /reference/{kind}', null as never, {
      params: { kind: 'townships' },
    });
    const ids = listed.body.items.map((t: { id: string }) => t.id);
    expect(ids).toContain('xinhe');
    // the seed's order first: 乐成街道 still leads
    expect(ids[0]).toBe('lecheng');

    const accepted = await ctx.invoke('POST /applications', parent, {
      body: { service: 'rehab-aid', form: rehabIn('xinhe') },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
  });

  it('accepts a 助产机构 an admin adds on the birth form, and lists it', async () => {
    const hospital = await ctx.invoke('PUT /admin/reference/{kind}/{id}', admin, {
      params: { kind: 'hospitals', id: 'yq-new-mch' },
      body: {
        version: 0,
        effectiveFrom: today,
        values: {
          nameZh: '乐清新区妇产医院',
          nameEn: 'Yueqing New District Maternity Hospital',
          township: 'liushi',
          maternity: true,
        },
      },
    });
    expect(hospital.status, JSON.stringify(hospital.body)).toBe(200);
    const listed = await ctx.invoke('GET /reference/{kind}', null as never, {
      params: { kind: 'hospitals' },
    });
    expect(listed.body.items.map((h: { id: string }) => h.id)).toContain('yq-new-mch');
    const form = birthForm();
    form.child.hospital = 'yq-new-mch';
    const res = await ctx.invoke('POST /applications', parent, {
      body: { service: 'birth-registration', form },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.steps.find((s: { step: string }) => s.step === 'precheck')?.status).toBe('done');
  });
});
