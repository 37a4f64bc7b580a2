/**
 * Whole numbers from text (path and query parameters, form fields typed as text) parsed strictly:
 * plain decimal digits only, so `0x7EB`, `2e3`, `+2027`, ` 2027`, `2027.0` or `0012` are refused
 * instead of being coerced into a different number (z.coerce.number takes them all). A JSON
 * number is accepted when it is an integer. Bounds are checked on the parsed value.
 */
import * as z from 'zod';

const DECIMAL = /^(0|[1-9][0-9]*)$/;

export function strictInt(min: number, max: number) {
  return z
    .union([z.int(), z.string().regex(DECIMAL, { message: 'integer.format' }).transform(Number)])
    .pipe(z.int().min(min).max(max));
}
