/** Field messages of this service's form refinements, registered with the kernel on load. */
import { registerMessages, t } from '#core/i18n';

export const MESSAGES = {
  'cla.birthDateMismatch': t('出生日期与身份证号不一致', 'The birth date does not match the ID number'),
  'cla.over18': t('儿童须未满18周岁', 'The child must be under 18'),
  'cla.parentAble': t(
    '父母一方有抚养能力的，不属于事实无人抚养儿童',
    'A parent able to care for the child: the child is not without caregivers',
  ),
  'cla.orphan': t(
    '父母双方均死亡或失踪的，请按孤儿基本生活保障申请',
    'Both parents dead or missing: apply for the orphans’ basic living allowance instead',
  ),
  'cla.sinceRequired': t('请填写该情形的起始日期', 'Give the date this situation began'),
  'cla.lostContactShort': t(
    '失联须满6个月（下落不明超过6个月）',
    'Whereabouts must have been unknown for over 6 months',
  ),
  'cla.committeeRequired': t(
    '村（居）委会代为申请时须填写委员会名称和经办人',
    'When a village/community committee applies, give its name and the person acting',
  ),
  'cla.committeeNotAllowed': t(
    '由实际抚养人申请时不填写村（居）委会',
    'Leave the committee empty when the carer applies',
  ),
  'cla.carerIsChild': t('抚养人身份证号不能与儿童相同', "The carer's ID number must differ from the child's"),
  'cla.accountFormat': t('银行账号应为12至19位数字', 'A bank account number is 12 to 19 digits'),
  'cla.monthFormat': t('月份格式应为 YYYY-MM', 'Month must be YYYY-MM'),
  'cla.parentIdSame': t('父母身份证号不能与儿童相同', "A parent's ID number must differ from the child's"),
} as const;

registerMessages(MESSAGES);
