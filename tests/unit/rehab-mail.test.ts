import { describe, expect, it } from 'vitest';
import type { Application, DomainEvent } from '#core/engine/types';
import { mail, yuan } from '#services/rehab-aid/mail';

const app = {
  id: '01JTESTAPP0000000000000000',
  service: 'rehab-aid',
  label: '陈*乐 · 康复救助（听力）',
  steps: {
    approval: {
      status: 'done',
      outputs: { standardVersion: '2026.2', monthlyCapFen: 260_000, yearlyCapFen: 2_400_000 },
    },
  },
} as unknown as Application;

const event = (type: string, data: Record<string, unknown>, step?: string): DomainEvent =>
  ({
    eventId: 'e',
    seq: 1,
    appId: app.id,
    service: 'rehab-aid',
    type,
    at: '',
    actor: { sub: 'x', role: 'caseworker' },
    step,
    data,
  }) as DomainEvent;

describe('rehab-aid e-mail lines', () => {
  it('writes fen as yuan with thousands and two decimals', () => {
    expect(yuan(260_000)).toBe('¥2,600.00');
    expect(yuan(2_400_000)).toBe('¥24,000.00');
    expect(yuan(5)).toBe('¥0.05');
  });

  it('labels the approved standard’s caps in yuan instead of listing raw outputs', () => {
    const [zh, en] = mail(event('step-approved', {}, 'approval'), app) ?? [];
    expect(zh?.body).toContain('救助标准 2026.2：每月救助上限 ¥2,600.00，年度救助上限 ¥24,000.00');
    expect(en?.body).toContain('monthly cap ¥2,600.00, yearly cap ¥24,000.00');
    expect(`${zh?.body}${en?.body}`).not.toMatch(/260000|2400000/);
  });

  it('warns the family when less than a fifth of the yearly budget is left', () => {
    const ok = mail(
      event('claim-approved', {
        month: '2026-10',
        approvedFen: 200_000,
        yearlyCapFen: 2_400_000,
        approvedTotalFen: 1_000_000,
      }),
      app,
    );
    expect(ok?.[0].title).toBe('康复费用已核准');
    const low = mail(
      event('claim-approved', {
        month: '2026-11',
        approvedFen: 200_000,
        yearlyCapFen: 2_400_000,
        approvedTotalFen: 2_000_000,
      }),
      app,
    );
    expect(low?.[0].title).toContain('年度额度即将用完');
    expect(low?.[0].body).toContain('剩余额度 ¥4,000.00');
    expect(low?.[1].title).toContain('running low');
  });

  it('tells a one-off item’s approval with its own cap, outside the monthly budget', () => {
    const [zh, en] =
      mail(
        event('claim-approved', {
          month: '2026-11',
          item: 'cochlear-implant',
          approvedFen: 5_800_000,
          itemCapFen: 6_000_000,
        }),
        app,
      ) ?? [];
    expect(zh?.title).toBe('人工耳蜗植入（手术及产品）费用已核准');
    expect(zh?.body).toContain('已核准 ¥58,000.00（该项目年度上限 ¥60,000.00');
    expect(en?.body).toContain('Cochlear implant (surgery and device) was approved at ¥58,000.00');
  });

  it('tells a refused claim with its reason, and leaves kernel events it has no line for to the kernel', () => {
    const refused = mail(
      event('claim-rejected', { month: '2026-10', amountFen: 150_000, reason: 'duplicate' }),
      app,
    );
    expect(refused?.[0].body).toContain('¥1,500.00 未通过审核（原因：重复申报）');
    expect(refused?.[1].body).toContain('(claimed twice)');
    expect(mail(event('submitted', {}), app)).toBeUndefined();
  });
});
