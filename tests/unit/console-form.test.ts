/**
 * The console's generated form, built from the catalogue's JSON Schema as the browser builds it:
 * its free-text checks are the API's text policy.
 */

import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { choiceOf } from '#core/engine/choices';
import { messages } from '#core/i18n';
import { birthRegistration } from '#services/birth-registration/definition';
import { buildModel, initialValues } from '../../web/src/forms/model.ts';
import { crossErrors, validateField } from '../../web/src/forms/validate.ts';
import type { ServiceInfo } from '../../web/src/types.ts';

const service = {
  id: birthRegistration.id,
  title: birthRegistration.title,
  form: z.toJSONSchema(birthRegistration.form, { io: 'input', unrepresentable: 'any' }),
  sensitivePaths: birthRegistration.sensitivePaths,
  // as the catalogue lists them (functions/http/catalog.ts)
  steps: birthRegistration.order.map((name) => {
    const step = birthRegistration.steps[name]!;
    return {
      step: name,
      kind: step.kind,
      title: step.title,
      needs: step.needs ?? [],
      join: step.join,
      chosenBy: choiceOf(step.when),
    };
  }),
} as unknown as ServiceInfo;
const model = buildModel(service);
const childName = model.fields.find((f) => f.path === 'child.name')!;
const check = (name: string) =>
  validateField(model, childName, { values: { ...initialValues(model), 'child.name': name }, toggles: {} });

describe("the console's free-text checks", () => {
  it.each([
    ['an unpaired surrogate', '王\uD800明', 'text.malformed'],
    ['a right-to-left override', '王\u202E明', 'text.bidi'],
    ['only a zero-width space', '\u200B', 'text.invisible'],
    ['a 身份证号', '王明 330382199001011237', 'text.idNumber'],
  ] as const)("refuse a child's name with %s, with the API's message", (_, name, key) => {
    expect(check(name)).toEqual(messages[key]);
  });

  it('count characters, not UTF-16 units, like the API', () => {
    expect(check('𠮷'.repeat(40))).toBeNull();
  });
});

describe("the console's item choices", () => {
  const itemsError = (items: string[]) =>
    crossErrors(model, { values: { ...initialValues(model), items }, toggles: {} }).items;

  it('explain that household registration needs the birth certificate, as the API does', () => {
    expect(itemsError(['hukou', 'vaccination'])).toEqual({
      'zh-CN': '办理“户口登记”须先办理“出生医学证明”，请一并选择',
      en: 'Household registration needs Birth medical certificate first: choose it too',
    });
  });

  it('accept the choices the steps can honour', () => {
    expect(itemsError(['birth-certificate', 'hukou'])).toBeUndefined();
  });
});
