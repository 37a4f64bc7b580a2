/**
 * The text policy's rules as plain functions (no zod), so the console can run the very same
 * checks: what a free-text value is normalised to, and the first problem with it. Problems are
 * keys of the bilingual catalogue (core/i18n.ts). Lengths count characters (code points), not
 * UTF-16 units: a rare CJK character outside the BMP in a name counts once.
 */
import { idNumberProblem } from '../id-number.ts';

/** Personal data a free-text field refuses unless it is meant to hold it. */
export type TextPersonalData = 'idNumber' | 'mobile' | 'email';

export interface TextRules {
  /** a multi-line field: keeps line breaks (CRLF and CR become LF) */
  lineBreaks?: boolean | undefined;
  /** personal data this field may hold (by default none) */
  allow?: readonly TextPersonalData[] | undefined;
}

export type TextProblem =
  | 'text.malformed'
  | 'text.control'
  | 'text.bidi'
  | 'text.invisible'
  | 'text.idNumber'
  | 'text.mobile'
  | 'text.email';

/** An unpaired UTF-16 surrogate: only a lone one matches in a `u` regex. */
const LONE_SURROGATE = /\p{Cs}/u;
const CONTROL = /\p{Cc}/u;
const CONTROL_BUT_LF = /(?!\n)\p{Cc}/u;
/** Embeddings and overrides, isolates, LRM/RLM and the Arabic letter mark. */
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
const INVISIBLE_ONLY = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}]+$/u;

/** The stored form: NFC, line breaks as LF (multi-line fields), no leading or trailing blanks. */
export function normalizeText(value: string, rules: TextRules = {}): string {
  const nfc = value.normalize('NFC');
  return (rules.lineBreaks ? nfc.replace(/\r\n?/g, '\n') : nfc).trim();
}

/** Length in characters (code points). */
export const textLength = (value: string): number => [...value].length;

/** The first problem with a normalised value, or null when the policy accepts it. */
export function textProblem(value: string, rules: TextRules = {}): TextProblem | null {
  if (LONE_SURROGATE.test(value)) return 'text.malformed';
  if ((rules.lineBreaks ? CONTROL_BUT_LF : CONTROL).test(value)) return 'text.control';
  if (BIDI.test(value)) return 'text.bidi';
  if (INVISIBLE_ONLY.test(value)) return 'text.invisible';
  const allow = rules.allow ?? [];
  const scan = scannable(value);
  if (!allow.includes('idNumber') && containsIdNumber(scan)) return 'text.idNumber';
  if (!allow.includes('mobile') && MOBILE.test(scan)) return 'text.mobile';
  if (!allow.includes('email') && EMAIL.test(scan)) return 'text.email';
  return null;
}

/**
 * What the personal-data scan reads: full-width digits and ＠ folded (NFKC), and the blanks,
 * dashes and dots people put inside numbers ("330382 19900101 123X", "138-1234-5678") removed.
 */
function scannable(value: string): string {
  return value.normalize('NFKC').replace(/(?<=\d)[\s\-–—.·]+(?=\d)/gu, '');
}

const ID_CANDIDATE = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
/** A mainland mobile number, with or without the +86 country code. */
const MOBILE = /(?<!\d)(?:86)?1[3-9]\d{9}(?!\d)/;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/u;

/** An 18-character 身份证号 with a real birth date and a valid check digit. */
function containsIdNumber(scan: string): boolean {
  for (const match of scan.matchAll(ID_CANDIDATE)) {
    if (idNumberProblem(match[0].toUpperCase()) === null) return true;
  }
  return false;
}
