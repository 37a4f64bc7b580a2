/**
 * The text policy at the HTTP edge on DynamoDB Local: text that would poison an e-mail or a page,
 * and ID numbers typed where they would be stored in clear, are refused with a field-level 400 in
 * zh-CN and en, and nothing is stored.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '#core/id-number';
import { birthForm } from '../support/forms.ts';
import { type Claims, setupHandlers } from '../support/invoke.ts';

const parent: Claims = { sub: 'text-parent', role: 'parent', email: 'text@example.com' };
const health: Claims = { sub: 'cw-health', role: 'caseworker', agency: 'health' };
const ID = makeIdNumber('330382', '1990-01-01', '123');

let ctx: Awaited<ReturnType<typeof setupHandlers>>;
beforeAll(async () => {
  ctx = await setupHandlers();
});

const submit = (form: Record<string, unknown>) =>
  ctx.invoke('POST /applications', parent, { body: { service: 'birth-registration', form } });
const myApplications = async () => (await ctx.invoke('GET /applications', parent)).body.items.length;

async function submitted(): Promise<string> {
  const res = await submit(birthForm());
  expect(res.status).toBe(201);
  return res.body.id;
}

describe('free text at the API', () => {
  it.each([
    ['an unpaired surrogate', '王\uD800小明', 'text.malformed'],
    ['a NUL', '王\u0000小明', 'text.control'],
    ['a right-to-left override', '王\u202E小明', 'text.bidi'],
    ['only a zero-width space', '\u200B', 'text.invisible'],
  ])("refuses a child's name with %s, storing nothing", async (_, name, code) => {
    const before = await myApplications();
    const form = birthForm();
    form.child.name = name;

    const res = await submit(form);

    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([expect.objectContaining({ path: 'form.child.name', code })]);
    expect(res.body.error.fields[0].messages['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    expect(res.body.error.fields[0].messages.en).toMatch(/[a-z]/);
    expect(await myApplications()).toBe(before);
  });

  it('stores the NFC form of a name', async () => {
    const form = birthForm();
    form.child.name = 'Zoe\u0301';
    const res = await submit(form);
    expect(res.status).toBe(201);
    expect(res.body.form.child.name).toBe('Zoé');
  });

  it('refuses an ID number typed into a reveal reason', async () => {
    const id = await submitted();
    const res = await ctx.invoke('POST /applications/{id}/reveal', health, {
      params: { id },
      body: { path: 'mother.idNumber', reason: `核对 ${ID} 是否一致` },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([
      expect.objectContaining({ path: 'reason', code: 'text.idNumber' }),
    ]);
    const events = await ctx.invoke('GET /applications/{id}/events', health, { params: { id } });
    expect(JSON.stringify(events.body)).not.toContain(ID);
  });

  it('refuses an ID number typed into a decision note, leaving the step as it was', async () => {
    const id = await submitted();
    await ctx.invoke('POST /applications/{id}/steps/{step}/claim', health, {
      params: { id, step: 'birth-certificate' },
    });
    const res = await ctx.invoke('POST /applications/{id}/steps/{step}/decision', health, {
      params: { id, step: 'birth-certificate' },
      body: { decision: 'approve', outputs: { certificateNumber: 'Q330123456' }, note: `母亲身份证 ${ID}` },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([expect.objectContaining({ path: 'note', code: 'text.idNumber' })]);
    const app = await ctx.invoke('GET /applications/{id}', health, { params: { id } });
    expect(app.body.steps.find((s: { step: string }) => s.step === 'birth-certificate').status).toBe(
      'claimed',
    );
  });

  it('refuses a mobile number typed into a pickup point', async () => {
    const form = birthForm();
    form.delivery = { method: 'pickup', pickupPoint: '打 13812345678 联系' };
    const res = await submit(form);
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([
      expect.objectContaining({ path: 'form.delivery.pickupPoint', code: 'text.mobile' }),
    ]);
  });
});
