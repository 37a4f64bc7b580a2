/**
 * Reusable zod field types for service forms. Refinement messages are keys into the bilingual
 * catalogue (core/i18n.ts) so the edge can answer in zh-CN and en.
 */
import * as z from 'zod';
import { idNumberProblem } from '../id-number.ts';
import { isTownship } from '../reference/leqing.ts';
import { text } from './text.ts';

export const idNumber = () =>
  z
    .string()
    .trim()
    .toUpperCase()
    .superRefine((value, ctx) => {
      const problem = idNumberProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

export const personName = () => text({ min: 1, max: 40 });

export const mobile = () =>
  z
    .string()
    .trim()
    .regex(/^1[3-9]\d{9}$/, { message: 'phone.format' });

export const email = () => z.email().max(254);

export const isoDate = () => z.iso.date({ message: 'date.format' });

export const isoDateTime = () => z.iso.datetime({ offset: true, message: 'datetime.format' });

export const township = () => z.string().refine(isTownship, { message: 'township.unknown' });

export const address = () => text({ min: 4, max: 200 });
