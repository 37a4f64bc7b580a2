import { describe, expect, it } from 'vitest';
import { text } from '#core/forms/text';
import { toFieldErrors } from '#core/forms/zod-errors';
import { makeIdNumber } from '#core/id-number';

const ID = makeIdNumber('330382', '2019-01-01', '123');
const codeOf = (schema: ReturnType<typeof text>, value: string) => {
  const r = schema.safeParse(value);
  return r.success ? null : toFieldErrors(r.error)[0]?.code;
};

describe('the text policy', () => {
  const name = text({ min: 1, max: 40 });
  const note = text({ max: 100, lineBreaks: true });

  it.each([
    ['an unpaired high surrogate', '王\uD800明', 'text.malformed'],
    ['an unpaired low surrogate', '王\uDC00明', 'text.malformed'],
    ['a NUL', '王\u0000明', 'text.control'],
    ['a C1 control', '王\u0085明', 'text.control'],
    ['a tab', '王\t明', 'text.control'],
    ['a right-to-left override', '王\u202E明', 'text.bidi'],
    ['a left-to-right isolate', '王\u2066明', 'text.bidi'],
    ['a right-to-left mark', '王\u200F明', 'text.bidi'],
    ['the Arabic letter mark', '王\u061C明', 'text.bidi'],
    ['only a zero-width space', '\u200B', 'text.invisible'],
    ['only a word joiner and an ideographic space', '\u2060\u3000\u200D', 'text.invisible'],
  ])('refuses a name with %s', (_, value, code) => {
    expect(codeOf(name, value)).toBe(code);
  });

  it('refuses a blank name as too short', () => {
    expect(codeOf(name, '   ')).toBe('too_small');
  });

  it('keeps a pair of surrogates (a character outside the BMP) and counts it once', () => {
    const rare = '𠮷'.repeat(40);
    expect(rare.length).toBe(80);
    expect(name.parse(rare)).toBe(rare);
    expect(codeOf(name, `${rare}a`)).toBe('too_big');
  });

  it('stores the NFC form', () => {
    expect(name.parse(' Zoe\u0301 ')).toBe('Zoé');
  });

  it('keeps line breaks in a multi-line field only, as LF', () => {
    expect(note.parse('第一行\r\n第二行')).toBe('第一行\n第二行');
    expect(codeOf(name, '第一行\n第二行')).toBe('text.control');
  });

  it.each([
    ['a 身份证号', `核实 ${ID} 的信息`, 'text.idNumber'],
    [
      'a 身份证号 with a lower-case x and blanks',
      `${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14).toLowerCase()}`,
      'text.idNumber',
    ],
    [
      'a 身份证号 in full-width digits',
      ID.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))),
      'text.idNumber',
    ],
    ['a mobile number', '请联系 138-1234-5678', 'text.mobile'],
    ['a mobile number with +86', '+86 13812345678', 'text.mobile'],
    ['an e-mail address', '发到 wang.li@example.com 吧', 'text.email'],
  ])('refuses %s in a note', (_, value, code) => {
    expect(codeOf(note, value)).toBe(code);
  });

  it('accepts an 18-digit number whose check digit is wrong (not an ID number)', () => {
    const wrong = ID.slice(0, 17) + (ID[17] === '0' ? '1' : '0');
    expect(codeOf(note, `单号 ${wrong}`)).toBeNull();
  });

  it('accepts personal data in a field meant to hold it', () => {
    const output = text({ max: 200, allow: ['idNumber', 'mobile'] });
    expect(output.parse(ID)).toBe(ID);
  });

  it('answers in zh-CN and en', () => {
    const r = note.safeParse(`身份证 ${ID}`);
    expect(r.success).toBe(false);
    expect(toFieldErrors(r.error!)[0]?.message).toEqual({
      'zh-CN': '此处不能填写身份证号，请删除',
      en: 'An ID number cannot be entered here; remove it',
    });
  });
});
