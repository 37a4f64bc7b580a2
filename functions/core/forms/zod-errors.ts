/**
 * Turns zod issues into field errors with zh-CN and en messages: our own refinements carry a key
 * into the catalogue; zod's built-in issues are rendered by zod's own locales.
 */
import { z } from 'zod';
import type { FieldError } from '../errors.ts';
import { type I18nText, isMessageKey, messages } from '../i18n.ts';

const zh = z.locales.zhCN().localeError;
const en = z.locales.en().localeError;

function render(localeError: typeof zh, issue: z.core.$ZodIssue): string | undefined {
  const out = localeError(issue as unknown as z.core.$ZodRawIssue);
  return typeof out === 'string' ? out : out?.message;
}

export function issueText(issue: z.core.$ZodIssue): I18nText {
  if (isMessageKey(issue.message)) return messages[issue.message];
  if (issue.code === 'unrecognized_keys') return messages['field.unknown'];
  if (issue.code === 'custom') return { 'zh-CN': issue.message, en: issue.message };
  return { 'zh-CN': render(zh, issue) ?? issue.message, en: render(en, issue) ?? issue.message };
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
        code: isMessageKey(issue.message) ? issue.message : issue.code,
        message: issueText(issue),
      },
    ];
  });
}
