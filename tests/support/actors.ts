import type { Actor } from '#core/engine/types';

export const parentA: Actor = { sub: 'parent-a', role: 'parent', email: 'a@example.com' };
export const parentB: Actor = { sub: 'parent-b', role: 'parent' };
export const cw = (
  agency: string,
  township?: string,
  sub = `cw-${agency}${township ? `-${township}` : ''}`,
): Actor => ({
  sub,
  role: 'caseworker',
  agency,
  township,
});
export const auditor: Actor = { sub: 'auditor', role: 'auditor' };
export const admin: Actor = { sub: 'admin', role: 'admin' };

/** Who decides each birth step, with the outputs an approval needs (fixture lives in 柳市镇). */
export const birthDeciders: Record<string, { actor: Actor; outputs: Record<string, string> }> = {
  'birth-certificate': { actor: cw('health'), outputs: { certificateNumber: 'Q330123456' } },
  hukou: { actor: cw('police', 'liushi'), outputs: { householdNumber: '330382001' } },
  'medical-insurance': { actor: cw('medical-insurance'), outputs: { insuranceNumber: '3303820026112000' } },
  'social-security-card': { actor: cw('hrss'), outputs: { cardNumber: 'A12345678' } },
  vaccination: { actor: cw('cdc'), outputs: { certificateNumber: '33038226001' } },
  delivery: { actor: cw('service-center'), outputs: { reference: 'EMS1234567890' } },
};
