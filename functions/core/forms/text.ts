/**
 * The one text policy, as a zod field type for every free-text field of every form and request
 * (names, addresses, notes, reasons, comments): Unicode well-formed, no control or bidi
 * characters, not invisible-only, NFC-normalised (the parsed value is what is stored), length in
 * characters, and no 身份证号, mobile number or e-mail address unless the field is meant to hold
 * one. Text that passes can always be rendered into an e-mail or a page. The rules themselves are
 * in text-rules.ts, shared with the console.
 */
import * as z from 'zod';
import { normalizeText, type TextPersonalData, textLength, textProblem } from './text-rules.ts';

export interface TextOptions {
  max: number;
  /** characters required after trimming (default 0: an optional field may be sent empty) */
  min?: number;
  /** a multi-line field (notes, comments): line breaks are kept */
  lineBreaks?: boolean;
  /** personal data this field is meant to hold (by default it refuses all of them) */
  allow?: readonly TextPersonalData[];
}

export function text(opts: TextOptions) {
  const { max, min = 0 } = opts;
  const rules = { lineBreaks: opts.lineBreaks, allow: opts.allow };
  return (
    z
      .string()
      .overwrite((value) => normalizeText(value, rules))
      .superRefine((value, ctx) => {
        const length = textLength(value);
        if (length < min) {
          ctx.addIssue({ code: 'too_small', minimum: min, origin: 'string', inclusive: true, input: value });
          return;
        }
        if (length > max) {
          ctx.addIssue({ code: 'too_big', maximum: max, origin: 'string', inclusive: true, input: value });
          return;
        }
        const problem = value === '' ? null : textProblem(value, rules);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
      })
      // the lengths the JSON Schema (console, OpenAPI) shows, since the check is a refinement
      .meta(min > 0 ? { minLength: min, maxLength: max } : { maxLength: max })
  );
}
