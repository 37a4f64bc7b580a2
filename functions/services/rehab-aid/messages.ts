/** Field messages of this service's form refinements, registered with the kernel on load. */
import { registerMessages, t } from '#core/i18n';

export const MESSAGES = {
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
  'rehab.permitExpiryRequired': t(
    '持居住证申请时必须填写居住证有效期',
    'With a residence permit, enter the date it expires',
  ),
  'rehab.permitExpiryNotAllowed': t(
    '按户籍申请时无需填写居住证有效期',
    'No residence-permit expiry with a household registration',
  ),
  'rehab.institutionId': t(
    '机构编号应为 2–40 位小写字母、数字或连字符',
    'An institution id is 2 to 40 lowercase letters, digits or hyphens',
  ),
  'rehab.agesOrder': t('服务年龄下限不能大于上限', 'The lowest age served cannot be above the highest'),
  'rehab.effectiveOrder': t('定点截止日期不能早于起始日期', 'The designation cannot end before it starts'),
  'rehab.suspendedReasonRequired': t('暂停定点时必须说明原因', 'Give the reason for a suspension'),
  'rehab.categoriesRepeated': t('残疾类别不能重复', 'A category is listed twice'),
  'rehab.hospitalUnknown': t('不是认可的诊断医院', 'Not a recognised diagnosing hospital'),
  'rehab.institutionUnknown': t('未知的定点康复机构', 'Unknown designated rehabilitation institution'),
  'rehab.previousRequired': t(
    '续办或变更机构时必须填写原申请编号',
    'A renewal or change of institution needs the previous application number',
  ),
  'rehab.previousNotAllowed': t('新申请不填写原申请编号', 'A new application has no previous application'),
  'month.format': t('月份格式应为 YYYY-MM', 'Month must be YYYY-MM'),
} as const;

registerMessages(MESSAGES);
