/**
 * Presentation hints for the generated forms: the JSON Schema from `GET /services` says what is
 * valid; the hints say how to ask for it (labels in zh-CN and en, widgets, reference lists,
 * sections shown only when they apply, and the cross-field rules the server checks in a zod
 * refinement). Each service module keeps its own in web/src/services/<id>/texts.ts; a service
 * without hints still renders, with labels derived from the field names.
 */
import type { Text } from '../i18n.tsx';
import { moduleTexts } from '../services/registry.ts';
import { type FieldHint, type ModuleTexts, type ServiceHints, t } from './hint-kit.ts';

export type { FieldHint, ServiceHints, Values, Widget } from './hint-kit.ts';
export { toLocalInput, toOffsetDateTime } from './hint-kit.ts';

/** Hints that apply to a field of this name in any service. */
/** Hints that apply to a field of this name in any service. */
export const commonFields: Record<string, FieldHint> = {
  name: { label: t('姓名', 'Name'), autoComplete: 'name' },
  idNumber: {
    label: t('身份证号', 'ID number (身份证号)'),
    help: t('18位，末位可为X', '18 characters; the last may be X'),
  },
  phone: {
    label: t('手机号', 'Mobile phone'),
    widget: 'tel',
    autoComplete: 'tel-national',
    patternMessage: t('请输入有效的中国大陆手机号', 'Enter a valid mainland China mobile number'),
  },
  email: {
    label: t('电子邮箱', 'E-mail'),
    help: t('选择邮件通知时必填', 'Required when notifications go by e-mail'),
    widget: 'email',
    autoComplete: 'email',
    patternMessage: t('请输入有效的电子邮箱地址', 'Enter a valid e-mail address'),
  },
  channels: {
    label: t('通知方式', 'How we notify you'),
    required: true,
    help: t(
      '可多选：短信发送到表单中的手机号；选择邮件须填写电子邮箱',
      "Choose one or both: texts go to the form's mobile number; e-mail needs an address",
    ),
    options: { sms: t('短信', 'Text message (SMS)'), email: t('电子邮件', 'E-mail') },
  },
  address: { label: t('地址', 'Address'), autoComplete: 'street-address' },
  township: { label: t('乡镇/街道', 'Township or subdistrict'), reference: 'townships' },
  hospital: { label: t('助产机构', 'Hospital of birth'), reference: 'hospitals' },
  pickupPoint: { label: t('领取点', 'Pickup point'), reference: 'pickupPoints' },
};

const modules: Array<[string, ModuleTexts]> = Object.entries(moduleTexts);
const merged = <K extends keyof ModuleTexts>(key: K) =>
  modules.flatMap(([, m]) => Object.entries(m[key] ?? {}));

export const serviceHints: Record<string, ServiceHints> = Object.fromEntries(
  modules.flatMap(([id, m]) => (m.hints ? [[id, m.hints]] : [])),
);

/** Labels of the outputs caseworkers record on approval (certificate numbers and the like). */
export const outputLabels: Record<string, Text> = Object.fromEntries(merged('outputLabels'));

/** Output values shown as words rather than codes. */
export const outputValues: Record<string, Record<string, Text>> = Object.fromEntries(merged('outputValues'));

/** Outputs that are machine references, not for people (the readable name is shown instead). */
export const hiddenOutputs = new Set(modules.flatMap(([, m]) => m.hiddenOutputs ?? []));

export const outputHelp: Record<string, Text> = Object.fromEntries(merged('outputHelp'));
