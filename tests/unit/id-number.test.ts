import { describe, expect, it } from 'vitest';
import { birthDateOfId, checkDigit, idNumberProblem, makeIdNumber, maskIdNumber } from '#core/id-number';

describe('身份证号 (GB 11643)', () => {
  it('accepts a number whose check digit matches', () => {
    expect(idNumberProblem('330382199503120249')).toBeNull();
  });

  it('computes X as the check digit when the sum mod 11 is 2', () => {
    expect(makeIdNumber('330382', '19980101', '046')).toBe('33038219980101046X');
    expect(idNumberProblem('33038219980101046X')).toBeNull();
  });

  it('rejects a wrong check digit', () => {
    expect(idNumberProblem('330382199503120248')).toBe('id.checksum');
  });

  it('rejects an impossible birth date and a bad format', () => {
    expect(idNumberProblem(`33038219950230${'024'}${checkDigit('33038219950230024')}`)).toBe('id.birthdate');
    expect(idNumberProblem('33038219950312024')).toBe('id.format');
    expect(idNumberProblem('3303821995031202A9')).toBe('id.format');
  });

  it('reads the embedded birth date', () => {
    expect(birthDateOfId('330382199503120249')).toBe('1995-03-12');
  });

  it('masks all but the first and last four characters', () => {
    expect(maskIdNumber('33038219980101046X')).toBe('3303**********046X');
  });
});
