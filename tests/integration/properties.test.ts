/**
 * Property tests (fast-check) over the real handlers on DynamoDB Local: valid, near-valid and
 * hostile inputs (huge strings, unicode edge cases, prototype-pollution keys, wrong types) for
 * the birth form, every installed service's form (near-valid: one leaf of its fixture replaced)
 * and every write route, the service modules' own included. Properties: never a 5xx; a 4xx carries a code and
 * bilingual messages; after a 4xx nothing stored has changed.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes as allRoutes } from '../../functions/http/routes.ts';
import { modules } from '../../functions/services/registry.ts';
import { birthForm, fixtureForm } from '../support/forms.ts';
import { type Claims, setupHandlers } from '../support/invoke.ts';

const parent: Claims = { sub: 'prop-parent', role: 'parent', email: 'p@example.com' };
const health: Claims = { sub: 'prop-health', role: 'caseworker', agency: 'health' };

let ctx: Awaited<ReturnType<typeof setupHandlers>>;
let appId: string;

beforeAll(async () => {
  ctx = await setupHandlers();
  const res = await ctx.invoke('POST /applications', parent, {
    body: { service: 'birth-registration', form: birthForm() },
  });
  appId = res.body.id;
});

const hostileString = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\uFEFF',
    '\uD800',
    'ﷺ',
    '👨‍👩‍👧',
    'A'.repeat(70_000),
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '${jndi:ldap://x}',
  ),
);
const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '$where',
);
const anyJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), hostileKey), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A valid form with one leaf replaced (near-valid) or a hostile key injected. */
const paths = [
  'child.name',
  'child.sex',
  'child.birthAt',
  'child.birthWeightGrams',
  'child.hospital',
  'mother.idNumber',
  'mother.phone',
  'father.idNumber',
  'contact.email',
  'hukou.township',
  'hukou.parent',
  'delivery.method',
  'items',
];
const nearValidForm = fc.tuple(fc.constantFrom(...paths), anyJson).map(([path, value]) => {
  const form = birthForm();
  const [head, leaf] = path.split('.') as [string, string | undefined];
  if (leaf) form[head][leaf] = value;
  else form[head] = value;
  return form;
});
const pollutedForm = fc.tuple(hostileKey, anyJson).map(([key, value]) => {
  const form = JSON.parse(JSON.stringify(birthForm()));
  return JSON.parse(
    JSON.stringify(form).replace(/^\{/, `{${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'},`),
  );
});

async function snapshot() {
  return JSON.stringify((await ctx.table.scanAll()).filter((i) => !String(i.pk).startsWith('RATE#')));
}

function expectWellFormedError(res: { status: number; body: any }) {
  expect(res.status).toBeLessThan(500);
  if (res.status >= 400) {
    expect(typeof res.body.error.code).toBe('string');
    expect(res.body.error.messages['zh-CN']).toBeTruthy();
    expect(res.body.error.messages.en).toBeTruthy();
  }
}

describe('properties of the HTTP edge', () => {
  it('never answers 5xx to any birth form, and a refused one stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(nearValidForm, pollutedForm, anyJson), async (form) => {
        const before = await snapshot();
        const res = await ctx.invoke('POST /applications', parent, {
          body: { service: 'birth-registration', form },
        });
        expectWellFormedError(res);
        if (res.status >= 400) expect(await snapshot()).toBe(before);
      }),
      { numRuns: 60 },
    );
  });

  it("never answers 5xx to any installed service's near-valid form, and a refused one stores nothing", async () => {
    /** every leaf path of a fixture form (the service's own shape, no per-service list) */
    const leaves = (value: unknown, prefix: string[] = []): string[][] =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value).flatMap(([k, v]) => leaves(v, [...prefix, k]))
        : [prefix];
    const cases = modules.flatMap((m) =>
      leaves(fixtureForm(m.definition.id)).map((path) => ({ service: m.definition.id, path })),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cases), anyJson, async ({ service, path }, value) => {
        const form = fixtureForm(service);
        let node = form;
        for (const key of path.slice(0, -1)) node = node[key];
        node[path.at(-1) as string] = value;
        const before = await snapshot();
        const res = await ctx.invoke('POST /applications', parent, { body: { service, form } });
        expectWellFormedError(res);
        if (res.status >= 400) expect(await snapshot()).toBe(before);
      }),
      { numRuns: 80 },
    );
  });

  it("never answers 5xx to hostile bodies and ids on the service modules' own write routes", async () => {
    const moduleIds = new Set<string>(modules.map((m) => m.definition.id));
    const writes = allRoutes
      .filter((r) => moduleIds.has(r.handler) && r.method !== 'GET')
      .map((r) => `${r.method} ${r.path}`);
    const actors: Claims[] = [parent, health, { sub: 'prop-admin', role: 'admin' }];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...writes),
        fc.constantFrom(...actors),
        anyJson,
        fc.oneof(fc.constant('valid'), hostileString),
        async (routeKey, claims, body, param) => {
          const value = param === 'valid' ? appId : param;
          const names = [...routeKey.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
          const before = await snapshot();
          const res = await ctx.invoke(routeKey, claims, {
            params: Object.fromEntries(names.map((n) => [n, value])),
            body,
          });
          expectWellFormedError(res);
          if (res.status >= 400) expect(await snapshot()).toBe(before);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('never answers 5xx to raw bodies that are not even JSON', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('{', '[]', 'null', '"x"', '{"service":')),
        async (raw) => {
          const res = await ctx.invoke('POST /applications', parent, { rawBody: raw });
          expectWellFormedError(res);
          expect(res.status).toBeGreaterThanOrEqual(400);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('never answers 5xx to hostile decisions, ids and queries, and changes nothing when refusing', async () => {
    const routes = [
      ['POST /applications/{id}/steps/{step}/decision', health],
      ['POST /applications/{id}/resubmit', parent],
      ['POST /applications/{id}/reveal', health],
      ['POST /applications/{id}/steps/{step}/claim', health],
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        anyJson,
        fc.oneof(fc.constant('valid'), hostileString),
        fc.oneof(fc.constant('birth-certificate'), hostileString),
        async ([routeKey, claims], body, idChoice, stepName) => {
          const before = await snapshot();
          const res = await ctx.invoke(routeKey, claims, {
            params: { id: idChoice === 'valid' ? appId : idChoice, step: stepName },
            body,
          });
          expectWellFormedError(res);
          if (res.status >= 400) expect(await snapshot()).toBe(before);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('never answers 5xx to hostile drafts, and a refused save changes nothing', async () => {
    const draft = { service: 'birth-registration', id: 'prop-draft-0001' };
    const created = await ctx.invoke('PUT /drafts/{service}/{id}', parent, {
      params: draft,
      body: { version: 0, section: 'child', values: { 'child.name': '李四' }, toggles: {} },
    });
    expect(created.status).toBe(201);
    const nearValid = fc.record({
      version: fc.oneof(fc.constant(1), anyJson),
      section: fc.oneof(fc.constant('child'), hostileString),
      values: fc.oneof(
        fc.dictionary(fc.oneof(fc.constantFrom(...paths), hostileKey, hostileString), anyJson, {
          maxKeys: 5,
        }),
        anyJson,
      ),
      toggles: fc.oneof(fc.constant({}), anyJson),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(nearValid, anyJson),
        fc.oneof(fc.constant(draft.id), hostileString),
        async (body, id) => {
          const before = await snapshot();
          const res = await ctx.invoke('PUT /drafts/{service}/{id}', parent, {
            params: { service: draft.service, id },
            body,
          });
          expectWellFormedError(res);
          if (res.status >= 400) expect(await snapshot()).toBe(before);
          if (res.status === 200) {
            // a save that got through bumps the version: put it back for the next run
            await ctx.invoke('DELETE /drafts/{service}/{id}', parent, {
              params: { service: draft.service, id },
            });
            await ctx.invoke('PUT /drafts/{service}/{id}', parent, {
              params: draft,
              body: { version: 0, section: 'child', values: {}, toggles: {} },
            });
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('never answers 5xx to hostile query strings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.oneof(fc.string({ maxLength: 10 }), hostileKey), fc.string({ maxLength: 30 }), {
          maxKeys: 4,
        }),
        async (query) => {
          for (const [routeKey, claims] of [
            ['GET /tasks', health],
            ['GET /reports/processing-times', { sub: 'a', role: 'auditor' }],
            ['GET /applications', parent],
          ] as const) {
            expectWellFormedError(await ctx.invoke(routeKey, claims, { query }));
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
