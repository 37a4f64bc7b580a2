/**
 * 出生"一件事"多证联办: pre-check, then one sub-case per agency with real dependencies:
 * 出生医学证明 → 户口登记 → {医保参保, 社保卡}; 预防接种证 in parallel from the start; delivery
 * of whatever was issued once every wanted item is settled.
 */
import * as z from 'zod';
import { chosen } from '#core/engine/choices';
import { text } from '#core/forms/text';
import { type BirthItem, birthForm } from '#services/birth-registration/form';
import { precheckBirth } from '#services/birth-registration/rules';
import { defineService } from '../../core/engine/define-service.ts';
import { t } from '../../core/i18n.ts';

const wants = (item: BirthItem) => chosen('items', item);
const certNo = (pattern: RegExp, zh: string, en: string) =>
  z
    .string()
    .trim()
    .regex(pattern, { message: `${zh} / ${en}` });

const mismatch = {
  'parent-info-mismatch': t('父母信息与医院记录不一致', "Parents' details do not match the hospital record"),
  'documents-missing': t('材料不全', 'Documents are missing'),
};

export const birthRegistration = defineService({
  id: 'birth-registration',
  title: t('出生"一件事"多证联办', 'Birth one-thing joint application'),
  description: t(
    '一次申请，办理出生医学证明、户口登记、医保参保、社保卡和预防接种证，最多跑一次。',
    'Apply once for the birth medical certificate, household registration, medical insurance, social security card and vaccination certificate: at most one trip.',
  ),
  form: birthForm,
  sla: { workingDays: 5 },
  sensitivePaths: ['mother.idNumber', 'father.idNumber'],
  contactEmail: (form) => form.contact.email,
  contactPhone: (form) => form.mother.phone,
  // the father, when named, may link the case to his own account
  guardianPhones: (form) => (form.father ? [form.father.phone] : []),
  notifyChannels: (form) => form.contact.channels,
  township: (form) => form.hukou.township,
  label: (form) => `${form.child.name} · 出生一件事`,
  steps: {
    precheck: { kind: 'auto', title: t('自动预审', 'Automatic pre-check'), run: precheckBirth },
    'birth-certificate': {
      kind: 'human',
      title: t('出生医学证明', 'Birth medical certificate'),
      agency: 'health',
      needs: ['precheck'],
      when: wants('birth-certificate'),
      sla: { workingDays: 1 },
      outputs: z.strictObject({
        certificateNumber: certNo(
          /^[A-Z]\d{9}$/,
          '出生医学证明编号应为1个字母加9位数字',
          'one letter then 9 digits',
        ),
      }),
      rejectReasons: {
        ...mismatch,
        'not-born-here': t('该院无此分娩记录', 'No delivery record at this hospital'),
      },
    },
    hukou: {
      kind: 'human',
      title: t('户口登记', 'Household registration'),
      agency: 'police',
      byTownship: true,
      needs: ['birth-certificate'],
      when: wants('hukou'),
      sla: { workingDays: 2 },
      outputs: z.strictObject({ householdNumber: certNo(/^\d{9}$/, '户号应为9位数字', '9 digits') }),
      rejectReasons: {
        ...mismatch,
        'address-invalid': t('户籍地址无法核实', 'The household address cannot be verified'),
      },
    },
    'medical-insurance': {
      kind: 'human',
      title: t('城乡居民医保参保', 'Medical insurance enrolment'),
      agency: 'medical-insurance',
      needs: ['hukou'],
      when: wants('medical-insurance'),
      sla: { workingDays: 1 },
      outputs: z.strictObject({
        insuranceNumber: certNo(/^\d{10,20}$/, '医保号应为10-20位数字', '10-20 digits'),
      }),
      rejectReasons: mismatch,
    },
    'social-security-card': {
      kind: 'human',
      title: t('社会保障卡', 'Social security card'),
      agency: 'hrss',
      needs: ['hukou'],
      when: wants('social-security-card'),
      sla: { workingDays: 2 },
      outputs: z.strictObject({
        cardNumber: certNo(/^[A-Z0-9]{9}$/, '社保卡卡号应为9位字母或数字', '9 letters or digits'),
      }),
      rejectReasons: mismatch,
    },
    vaccination: {
      kind: 'human',
      title: t('预防接种证', 'Vaccination certificate'),
      agency: 'cdc',
      needs: ['precheck'],
      when: wants('vaccination'),
      sla: { workingDays: 1 },
      outputs: z.strictObject({
        certificateNumber: certNo(/^\d{8,16}$/, '接种证编号应为8-16位数字', '8-16 digits'),
      }),
      rejectReasons: mismatch,
    },
    delivery: {
      kind: 'human',
      title: t('证件寄递/领取', 'Document delivery or pickup'),
      agency: 'service-center',
      needs: ['birth-certificate', 'hukou', 'medical-insurance', 'social-security-card', 'vaccination'],
      join: 'any-done',
      sla: { workingDays: 1 },
      outputs: z.strictObject({ reference: text({ min: 4, max: 40 }) }),
      rejectReasons: {
        'address-unreachable': t('邮寄地址无法投递', 'The mailing address cannot be reached'),
      },
    },
  },
});
