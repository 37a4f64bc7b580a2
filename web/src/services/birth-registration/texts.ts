/** The birth one-thing service's console texts: form hints and the labels of its outputs. */
import { type ModuleTexts, t, toOffsetDateTime, type Values } from '../../forms/hint-kit.ts';
import type { Text } from '../../i18n.tsx';

const birthItem = {
  'birth-certificate': t('出生医学证明', 'Birth medical certificate'),
  hukou: t('户口登记', 'Household registration'),
  'medical-insurance': t('城乡居民医保参保', 'Medical insurance enrolment'),
  'social-security-card': t('社会保障卡', 'Social security card'),
  vaccination: t('预防接种证', 'Vaccination certificate'),
};

const wants = (item: string) => (v: Values) => {
  const items = v.items;
  return Array.isArray(items) && items.includes(item);
};

export const texts = {
  hints: {
    sectionOrder: [
      'items',
      'child',
      'mother',
      'father',
      'contact',
      'hukou',
      'medicalInsurance',
      'socialSecurityCard',
      'delivery',
    ],
    sections: {
      items: t('办理事项', 'Items to apply for'),
      child: t('孩子信息', 'Child'),
      mother: t('母亲信息', 'Mother'),
      father: t('父亲信息', 'Father'),
      contact: t('联系方式', 'Contact'),
      hukou: t('户籍登记', 'Household registration'),
      medicalInsurance: t('医保参保', 'Medical insurance'),
      socialSecurityCard: t('社保卡', 'Social security card'),
      delivery: t('证件寄递', 'Delivery of documents'),
    },
    toggles: { father: t('填写父亲信息', "Give the father's details") },
    sectionWhen: {
      medicalInsurance: wants('medical-insurance'),
      socialSecurityCard: wants('social-security-card'),
    },
    fieldWhen: {
      'delivery.address': (v) => v['delivery.method'] === 'ems',
      'delivery.pickupPoint': (v) => v['delivery.method'] === 'pickup',
    },
    fields: {
      items: { label: t('需要办理的证件', 'What you need'), options: birthItem, required: true },
      'child.name': { label: t('孩子姓名', "Child's name"), autoComplete: 'off' },
      'child.sex': { label: t('性别', 'Sex'), options: { male: t('男', 'Male'), female: t('女', 'Female') } },
      'child.birthAt': {
        label: t('出生时间（北京时间）', 'Time of birth (Beijing time)'),
        help: t('出生60天内可在线办理', 'Births within the last 60 days can be registered online'),
      },
      'child.birthWeightGrams': { label: t('出生体重（克）', 'Birth weight (grams)') },
      'child.hospital': { label: t('助产机构', 'Hospital of birth'), reference: 'hospitals' },
      'mother.name': { label: t('母亲姓名', "Mother's name"), autoComplete: 'off' },
      'father.name': { label: t('父亲姓名', "Father's name"), autoComplete: 'off' },
      'hukou.parent': {
        label: t('随父或随母落户', 'Register in whose household'),
        options: { mother: t('随母落户', "Mother's household"), father: t('随父落户', "Father's household") },
      },
      'hukou.address': { label: t('户籍地址', 'Household registration address') },
      'hukou.township': { label: t('户籍所在乡镇/街道', 'Township of the household') },
      'medicalInsurance.plan': {
        label: t('参保类型', 'Insurance plan'),
        options: {
          'urban-rural-resident': t(
            '城乡居民基本医疗保险',
            "Urban and rural residents' basic medical insurance",
          ),
        },
      },
      'socialSecurityCard.bank': {
        label: t('社保卡发卡银行', 'Issuing bank of the card'),
        options: {
          icbc: t('中国工商银行', 'Industrial and Commercial Bank of China'),
          abc: t('中国农业银行', 'Agricultural Bank of China'),
          boc: t('中国银行', 'Bank of China'),
          ccb: t('中国建设银行', 'China Construction Bank'),
          rcc: t('乐清农商银行', 'Yueqing Rural Commercial Bank'),
        },
      },
      'delivery.method': {
        label: t('证件领取方式', 'How to receive the documents'),
        options: {
          ems: t('EMS邮寄到家', 'Mail by EMS'),
          pickup: t('窗口自取', 'Pick up at a service counter'),
        },
      },
      'delivery.address': { label: t('邮寄地址', 'Mailing address') },
      'delivery.pickupPoint': { label: t('领取点', 'Pickup point') },
    },
    checks: (v, enabled) => {
      const out: Array<{ path: string; message: Text }> = [];
      const items = v.items;
      if (!Array.isArray(items) || items.length === 0) {
        out.push({ path: 'items', message: t('至少选择一项办理事项', 'Choose at least one item') });
      }
      if (v['hukou.parent'] === 'father' && !enabled('father')) {
        out.push({
          path: 'hukou.parent',
          message: t(
            '随父落户时必须填写父亲信息',
            "Father's details are required to register under the father's household",
          ),
        });
      }
      const birth = v['child.birthAt'];
      if (typeof birth === 'string' && birth && Date.parse(toOffsetDateTime(birth)) > Date.now()) {
        out.push({ path: 'child.birthAt', message: t('日期不能晚于今天', 'Date cannot be in the future') });
      }
      const mother = v['mother.idNumber'];
      if (enabled('father') && typeof mother === 'string' && mother && mother === v['father.idNumber']) {
        out.push({
          path: 'father.idNumber',
          message: t('父母身份证号不能相同', "The parents' ID numbers must differ"),
        });
      }
      return out;
    },
  },
  outputLabels: {
    certificateNumber: t('证书编号', 'Certificate number'),
    householdNumber: t('户号', 'Household number'),
    insuranceNumber: t('医保号', 'Insurance number'),
    cardNumber: t('社保卡卡号', 'Card number'),
    reference: t('寄递单号/领取凭证号', 'Delivery or pickup reference'),
  },
  outputHelp: {
    certificateNumber: t('例如 Q330123456', 'e.g. Q330123456'),
    householdNumber: t('9位数字', '9 digits'),
    insuranceNumber: t('10-20位数字', '10 to 20 digits'),
    cardNumber: t('9位字母或数字', '9 letters or digits'),
  },
} satisfies ModuleTexts;
