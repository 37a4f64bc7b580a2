/**
 * 居民身份证号 (GB 11643-1999) checks in the browser, mirroring functions/core/id-number.ts:
 * 17 digits then a digit or X, a real birth date in positions 7–14, and the ISO 7064 MOD 11-2
 * check digit (weights 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2; check characters '10X98765432').
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type IdProblem = 'id.format' | 'id.birthdate' | 'id.checksum';

export function checkDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '';
}

export function idNumberProblem(raw: string): IdProblem | null {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return 'id.format';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || m < 1 || m > 12 || d < 1 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return 'id.birthdate';
  }
  if (date.getTime() > Date.now()) return 'id.birthdate';
  if (checkDigit(id.slice(0, 17)) !== id[17]) return 'id.checksum';
  return null;
}

/** Whether a value is a masked ID number as the API returns it (3303**********0249). */
export const isMasked = (value: unknown): value is string => typeof value === 'string' && value.includes('*');

/** Whether `id` is consistent with the masked form `masked` (same visible characters). */
export function matchesMask(id: string, masked: string): boolean {
  const v = id.trim().toUpperCase();
  if (v.length !== masked.length) return false;
  for (let i = 0; i < v.length; i++) if (masked[i] !== '*' && masked[i] !== v[i]) return false;
  return true;
}
