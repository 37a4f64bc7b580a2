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

/** How the applicant is notified: by SMS (to the form's mobile number), by e-mail, or both. */
export const notifyChannelValues = ['sms', 'email'] as const;
export type NotifyChannel = (typeof notifyChannelValues)[number];

/**
 * The channel choice. Absent means e-mail only (the forms' behaviour before SMS existed), so
 * stored drafts and old clients keep working.
 */
export const notifyChannels = () =>
  z
    .array(z.enum(notifyChannelValues))
    .min(1, { message: 'channels.empty' })
    .max(notifyChannelValues.length)
    .refine((v) => new Set(v).size === v.length, { message: 'channels.duplicate' })
    .default(['email']);

/** The fields of the channel choice: an optional e-mail address and the channels. */
export const channelFields = () => ({ email: email().optional(), channels: notifyChannels() });

/** The e-mail address is required only when the chosen channels include e-mail. */
export function emailForChannels(
  value: { email?: string | undefined; channels: NotifyChannel[] },
  ctx: z.RefinementCtx,
): void {
  if (value.channels.includes('email') && !value.email) {
    ctx.addIssue({ code: 'custom', path: ['email'], message: 'email.requiredForChannel' });
  }
}

/** A form's contact block: the channel choice and an e-mail address required for e-mail. */
export const contactWithChannels = () => z.strictObject(channelFields()).superRefine(emailForChannels);

export const isoDate = () => z.iso.date({ message: 'date.format' });

export const isoDateTime = () => z.iso.datetime({ offset: true, message: 'datetime.format' });

export const township = () => z.string().refine(isTownship, { message: 'township.unknown' });

export const address = () => text({ min: 4, max: 200 });
