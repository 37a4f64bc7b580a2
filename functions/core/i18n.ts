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
  'rehab.birthDateMismatch': t('出生日期与身份证号不一致', 'The birth date does not match the ID number'),
  'rehab.guardianIsChild': t(
    '监护人身份证号不能与儿童相同',
    "The guardian's ID number must differ from the child's",
  ),
  'rehab.certificateRequired': t(
    '持有残疾人证时必须填写证号和等级',
    'With a disability certificate, its number and level are required',
  ),
  'rehab.certificateFormat': t(
    '残疾人证号应为20位：18位身份证号、1位类别、1位等级',
    'A disability certificate number is 20 characters: the 18-character ID, a category digit, a level digit',
  ),
  'rehab.certificateMismatch': t(
    '残疾人证号与儿童身份证号、残疾类别或等级不符',
    "The certificate number does not match the child's ID number, the category or the level",
  ),
  'rehab.diagnosisRequired': t(
    '未持残疾人证时必须提供认可医院的诊断',
    'Without a disability certificate, a diagnosis from a recognised hospital is required',
  ),
  'rehab.hospitalUnknown': t('不是认可的诊断医院', 'Not a recognised diagnosing hospital'),
  'rehab.institutionUnknown': t('未知的定点康复机构', 'Unknown designated rehabilitation institution'),
  'rehab.previousRequired': t(
    '续办或变更机构时必须填写原申请编号',
    'A renewal or change of institution needs the previous application number',
  ),
  'rehab.previousNotAllowed': t('新申请不填写原申请编号', 'A new application has no previous application'),
  'month.format': t('月份格式应为 YYYY-MM', 'Month must be YYYY-MM'),
  'childcare.term.format': t(
    '入托学期格式应为 YYYY-MM，例如 2027-03',
    'The term must be YYYY-MM, e.g. 2027-03',
  ),
  'childcare.preferences.duplicate': t('同一托育机构不能重复填报', 'The same nursery cannot be listed twice'),
  'childcare.priority.duplicate': t('优先条件不能重复', 'A priority claim cannot be listed twice'),
  'childcare.priority.siblings': t(
    '“二孩”与“三孩及以上”只能选择一项',
    'Choose either second child or third child, not both',
  ),
  'childcare.priority.bothWorking': t(
    '选择“双职工家庭”须填写两位监护人，且两人均在职或自雇',
    'A both-working claim needs two guardians who are both employed or self-employed',
  ),
  'childcare.residence.permitValidUntil': t(
    '以居住证登记时须填写居住证有效期',
    'A residence permit needs its expiry date',
  ),
  'childcare.child.birthDateMismatch': t(
    '出生日期与身份证号中的出生日期不一致',
    "The birth date does not match the one in the child's ID number",
  ),
  'childcare.guardian.sameId': t(
    '监护人与孩子的身份证号必须各不相同',
    "The guardians' and the child's ID numbers must all differ",
  ),
} as const satisfies Record<string, I18nText>;

export type MessageKey = keyof typeof messages;

export function isMessageKey(value: string): value is MessageKey {
  return Object.hasOwn(messages, value);
}
