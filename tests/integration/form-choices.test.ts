/** Item choices the workflow cannot honour are refused at the API with a field-level 400. */
import { beforeAll, describe, expect, it } from 'vitest';
import { birthForm } from '../support/forms.ts';
import { type Claims, setupHandlers } from '../support/invoke.ts';

const parent: Claims = { sub: 'choices-parent', role: 'parent', email: 'choices@example.com' };
let ctx: Awaited<ReturnType<typeof setupHandlers>>;
beforeAll(async () => {
  ctx = await setupHandlers();
});

describe('a birth application choosing items', () => {
  it('is refused when it asks for household registration alone, and nothing is stored', async () => {
    const res = await ctx.invoke('POST /applications', parent, {
      body: { service: 'birth-registration', form: { ...birthForm(), items: ['hukou'] } },
    });

    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([
      expect.objectContaining({
        path: 'form.items',
        code: 'choice.needs',
        messages: {
          'zh-CN': '办理“户口登记”须先办理“出生医学证明”，请一并选择',
          en: 'Household registration needs Birth medical certificate first: choose it too',
        },
      }),
    ]);
    expect((await ctx.invoke('GET /applications', parent)).body.items).toEqual([]);
  });
});
