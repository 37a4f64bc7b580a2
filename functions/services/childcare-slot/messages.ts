/** Field messages of this service's form refinements, registered with the kernel on load. */
import { registerMessages, t } from '#core/i18n';

export const MESSAGES = {
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
} as const;

registerMessages(MESSAGES);
