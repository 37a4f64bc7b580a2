/**
 * Turns zod issues into field errors with zh-CN and en messages: our own refinements carry a key
 * into the catalogue; zod's built-in issues are rendered by zod's own locales.
 */
import type { z } from 'zod';
// Only the two locales we speak: importing `z.locales` would bundle every language (~300 KB).
import en from 'zod/v4/locales/en.js';
import zhCN from 'zod/v4/locales/zh-CN.js';
import type { FieldError } from '../errors.ts';
import { type I18nText, isMessageKey, messages, messageText } from '../i18n.ts';

const zhError = zhCN().localeError;
const enError = en().localeError;

function render(localeError: typeof zhError, issue: z.core.$ZodIssue): string | undefined {
  const out = localeError(issue as unknown as z.core.$ZodRawIssue);
  return typeof out === 'string' ? out : out?.message;
}

/** A refinement whose text is built at run time (e.g. naming a step) carries it in `params.text`. */
function paramText(issue: z.core.$ZodIssue): I18nText | undefined {
  if (issue.code !== 'custom') return undefined;
  const text = (issue.params as { text?: I18nText } | undefined)?.text;
  return text && typeof text['zh-CN'] === 'string' && typeof text.en === 'string' ? text : undefined;
}

export function issueText(issue: z.core.$ZodIssue): I18nText {
  const dynamic = paramText(issue);
  if (dynamic) return dynamic;
  if (isMessageKey(issue.message)) return messageText(issue.message);
  if (issue.code === 'unrecognized_keys') return messages['field.unknown'];
  if (issue.code === 'custom') return { 'zh-CN': issue.message, en: issue.message };
  return { 'zh-CN': render(zhError, issue) ?? issue.message, en: render(enError, issue) ?? issue.message };
}

export function toFieldErrors(error: z.ZodError, prefix: string[] = []): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...path, key].join('.'),
        code: 'unrecognized_key',
        message: issueText(issue),
      }));
    }
    return [
      {
        path: path.join('.'),
        code: isMessageKey(issue.message) || paramText(issue) ? issue.message : issue.code,
        message: issueText(issue),
      },
    ];
  });
}
