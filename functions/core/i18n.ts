/**
 * Bilingual text. What users read is zh-CN first, with English. Messages raised by core carry a
 * key into this catalogue so the edge can render both languages.
 */
export interface I18nText {
  'zh-CN': string;
  en: string;
}

export type Lang = 'zh-CN' | 'en';

export const t = (zh: string, en: string): I18nText => ({ 'zh-CN': zh, en });

/** Messages for validation refinements, keyed; zod issues carry the key as their message. */
export const messages = {
  'id.format': t(
    '身份证号应为18位，前17位为数字，末位为数字或X',
    'ID number must be 18 characters: 17 digits then a digit or X',
  ),
  'id.checksum': t('身份证号校验位不正确', 'ID number check digit is wrong'),
  'id.birthdate': t('身份证号中的出生日期无效', 'ID number contains an invalid birth date'),
  'phone.format': t('请输入有效的中国大陆手机号', 'Enter a valid mainland China mobile number'),
  'date.format': t('日期格式应为 YYYY-MM-DD', 'Date must be YYYY-MM-DD'),
  'datetime.format': t(
    '时间格式应为 ISO 8601，例如 2026-11-20T08:30:00+08:00',
    'Time must be ISO 8601, e.g. 2026-11-20T08:30:00+08:00',
  ),
  'date.future': t('日期不能晚于今天', 'Date cannot be in the future'),
  'township.unknown': t('未知的乡镇/街道', 'Unknown township'),
  'hospital.unknown': t('未知的助产机构', 'Unknown hospital'),
  'progress.codeFormat': t('验证码为6位数字', 'The code has 6 digits'),
  'authorisation.letterId': t('委托书编号无效，请重新上传', 'Not a letter of authorisation; upload it again'),
  'channels.empty': t('请至少选择一种通知方式', 'Choose at least one way to be notified'),
  'channels.duplicate': t('通知方式不能重复', 'Each way of notification may be chosen once'),
  'email.requiredForChannel': t(
    '选择邮件通知时必须填写电子邮箱',
    'An e-mail address is required when notifications go by e-mail',
  ),
  'items.empty': t('至少选择一项办理事项', 'Choose at least one item'),
  'delivery.address': t('选择邮寄时必须填写邮寄地址', 'A mailing address is required for EMS delivery'),
  'delivery.pickup': t('选择自取时必须选择领取点', 'A pickup point is required for pickup'),
  'weight.range': t('出生体重应在 300 至 7000 克之间', 'Birth weight must be between 300 and 7000 g'),
  'hukou.parentId': t(
    '随父落户时必须填写父亲信息',
    "Father's details are required to register under the father's household",
  ),
  'json.invalid': t('请求体不是有效的 JSON', 'Request body is not valid JSON'),
  'idempotencyKey.format': t(
    'Idempotency-Key 应为 1–200 个可见 ASCII 字符（不含空格），例如 UUID',
    'Idempotency-Key must be 1–200 visible ASCII characters (no spaces), e.g. a UUID',
  ),
  'integer.format': t(
    '应为不带符号、前导零或其他进制写法的十进制整数',
    'Must be a plain decimal integer (no sign, leading zeros, other bases or exponents)',
  ),
  'body.tooLarge': t('请求体过大', 'Request body is too large'),
  'field.unknown': t('不允许的字段', 'Field is not allowed'),
  'resubmit.fieldNotRequested': t(
    '该字段未被要求补正，不能修改',
    'This field was not requested for correction and cannot change',
  ),
  'request.fieldUnknown': t('要求补正的字段不存在', 'The field named for correction does not exist'),
  'text.malformed': t(
    '包含无法识别的字符（不成对的 Unicode 代理项），请删除后重新输入',
    'Contains a broken character (an unpaired Unicode surrogate); delete it and type again',
  ),
  'text.control': t('不能包含控制字符', 'Control characters are not allowed'),
  'text.bidi': t('不能包含文字方向控制字符', 'Text-direction control characters are not allowed'),
  'text.invisible': t('不能只包含空白或不可见字符', 'Cannot consist only of blank or invisible characters'),
  'text.idNumber': t('此处不能填写身份证号，请删除', 'An ID number cannot be entered here; remove it'),
  'text.mobile': t('此处不能填写手机号，请删除', 'A mobile number cannot be entered here; remove it'),
  'text.email': t('此处不能填写电子邮箱地址，请删除', 'An e-mail address cannot be entered here; remove it'),
} as const satisfies Record<string, I18nText>;

export type MessageKey = keyof typeof messages;

/** Message keys a service module adds (its form refinements), registered when its form loads. */
const moduleMessages = new Map<string, I18nText>();

export function registerMessages(more: Record<string, I18nText>): void {
  for (const [key, text] of Object.entries(more)) {
    if (Object.hasOwn(messages, key)) throw new Error(`message key "${key}" is the kernel's`);
    moduleMessages.set(key, text);
  }
}

export function isMessageKey(value: string): boolean {
  return Object.hasOwn(messages, value) || moduleMessages.has(value);
}

/** The text of a kernel or module message key (the key itself when unknown). */
export function messageText(key: string): I18nText {
  if (Object.hasOwn(messages, key)) return messages[key as MessageKey];
  return moduleMessages.get(key) ?? { 'zh-CN': key, en: key };
}
