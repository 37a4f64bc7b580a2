/**
 * 居民身份证号 (GB 11643-1999): format, embedded birth date, check digit (ISO 7064 MOD 11-2),
 * and the masked form shown to anyone who has not revealed it.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export function checkDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '';
}

export type IdProblem = 'id.format' | 'id.birthdate' | 'id.checksum';

/** Returns the first problem with the ID number, or null when it is valid. */
export function idNumberProblem(id: string): IdProblem | null {
  if (!/^\d{17}[\dX]$/.test(id)) return 'id.format';
  if (birthDateOfId(id) === null) return 'id.birthdate';
  if (checkDigit(id.slice(0, 17)) !== id[17]) return 'id.checksum';
  return null;
}

/** The YYYY-MM-DD birth date encoded in positions 7–14, or null when it is not a real date. */
export function birthDateOfId(id: string): string | null {
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < 1900 || m < 1 || m > 12 || d < 1) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** 330382199001011234 → 3303**********1234 */
export function maskIdNumber(id: string): string {
  if (id.length < 8) return '*'.repeat(id.length);
  return id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4);
}

/** Builds a valid ID number from a region code, birth date and sequence (tests, seed data). */
export function makeIdNumber(region: string, birthDate: string, seq: string): string {
  const first17 = region + birthDate.replaceAll('-', '') + seq;
  return first17 + checkDigit(first17);
}
