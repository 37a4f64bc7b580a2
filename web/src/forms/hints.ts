/**
 * Presentation hints for the generated forms: the JSON Schema from `GET /services` says what is
 * valid; these say how to ask for it (labels in zh-CN and en, widgets, reference lists, sections
 * shown only when they apply, and the cross-field rules the server checks in a zod refinement).
 * A service without hints still renders, with labels derived from the field names.
 */
import type { Text } from '../i18n.tsx';
import type { Reference } from '../types.ts';

export type Widget =
  | 'text'
  | 'textarea'
  | 'email'
  | 'tel'
  | 'idNumber'
  | 'number'
  | 'datetime'
  | 'date'
  | 'select'
  | 'radio'
  | 'checkboxes'
  /** yes/no radios for a boolean */
  | 'boolean'
  /** up to maxItems free-text entries for an array of strings without an enum */
  | 'list';

export type Values = Record<string, string | string[]>;

export interface FieldHint {
  label?: Text;
  /** required although the schema has a default (e.g. at least one item) */
  required?: boolean;
  help?: Text;
  widget?: Widget;
  reference?: keyof Reference;
  autoComplete?: string;
  /** message for a `pattern` mismatch */
  patternMessage?: Text;
  options?: Record<string, Text>;
}

export interface ServiceHints {
  sectionOrder?: string[];
  sections?: Record<string, Text>;
  /** optional sections the parent switches on or off (default on), with the switch's label */
  toggles?: Record<string, Text>;
  /** sections that apply only in some cases (hidden ones are not sent) */
  sectionWhen?: Record<string, (v: Values) => boolean>;
  /** fields that apply only in some cases; such a field is required while shown */
  fieldWhen?: Record<string, (v: Values) => boolean>;
  fields?: Record<string, FieldHint>;
  /** cross-field rules (mirroring the server's refinements) */
  checks?: (v: Values, enabled: (section: string) => boolean) => Array<{ path: string; message: Text }>;
}

const t = (zh: string, en: string): Text => ({ 'zh-CN': zh, en });

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
    widget: 'email',
    autoComplete: 'email',
    patternMessage: t('请输入有效的电子邮箱地址', 'Enter a valid e-mail address'),
  },
  address: { label: t('地址', 'Address'), autoComplete: 'street-address' },
  township: { label: t('乡镇/街道', 'Township or subdistrict'), reference: 'townships' },
  hospital: { label: t('助产机构', 'Hospital of birth'), reference: 'hospitals' },
  pickupPoint: { label: t('领取点', 'Pickup point'), reference: 'pickupPoints' },
};

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

export const serviceHints: Record<string, ServiceHints> = {
  'birth-registration': {
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
};

const guardianFields = (prefix: string): Record<string, FieldHint> => ({
  [`${prefix}.relation`]: {
    label: t('与孩子关系', 'Relationship to the child'),
    options: {
      mother: t('母亲', 'Mother'),
      father: t('父亲', 'Father'),
      grandparent: t('祖父母/外祖父母', 'Grandparent'),
      other: t('其他监护人', 'Other guardian'),
    },
  },
  [`${prefix}.employment`]: {
    label: t('就业状况', 'Employment'),
    options: {
      employed: t('在职', 'Employed'),
      'self-employed': t('个体/自由职业', 'Self-employed'),
      'job-seeking': t('求职中', 'Looking for work'),
      'not-working': t('无工作', 'Not working'),
      student: t('在读学生', 'Student'),
    },
  },
  [`${prefix}.employer`]: { label: t('工作单位', 'Employer') },
});

const sexOptions = { male: t('男', 'Male'), female: t('女', 'Female') };

serviceHints['rehab-aid'] = {
  sections: {
    application: t('申请类型', 'Application'),
    child: t('儿童信息', 'Child'),
    guardian: t('监护人', 'Guardian'),
    disability: t('残疾情况', 'Disability'),
    family: t('家庭情况', 'Family'),
    rehabilitation: t('康复服务', 'Rehabilitation'),
  },
  fields: {
    'application.kind': {
      label: t('申请类型', 'Kind of application'),
      options: {
        new: t('首次申请', 'New'),
        renewal: t('续申请', 'Renewal'),
        'change-institution': t('变更康复机构', 'Change of institution'),
      },
    },
    'application.aidYear': { label: t('救助年度', 'Aid year') },
    'application.previousApplication': { label: t('上一年度申请编号', 'Previous application number') },
    'child.name': { label: t('儿童姓名', "Child's name"), autoComplete: 'off' },
    'child.birthDate': { label: t('出生日期', 'Date of birth') },
    'child.sex': { label: t('性别', 'Sex'), options: sexOptions },
    'child.address': { label: t('居住地址', 'Home address') },
    'guardian.name': { label: t('监护人姓名', "Guardian's name") },
    'guardian.relationship': {
      label: t('与儿童关系', 'Relationship to the child'),
      options: {
        mother: t('母亲', 'Mother'),
        father: t('父亲', 'Father'),
        grandparent: t('祖父母/外祖父母', 'Grandparent'),
        'other-guardian': t('其他监护人', 'Other guardian'),
      },
    },
    'disability.category': {
      label: t('残疾类别', 'Category'),
      options: {
        vision: t('视力', 'Vision'),
        hearing: t('听力', 'Hearing'),
        speech: t('言语', 'Speech'),
        physical: t('肢体', 'Physical'),
        intellectual: t('智力', 'Intellectual'),
        autism: t('孤独症', 'Autism'),
      },
    },
    'disability.certified': { label: t('是否持有残疾人证', 'Holds a disability certificate') },
    'disability.certificateNumber': { label: t('残疾人证号', 'Disability certificate number') },
    'disability.level': { label: t('残疾等级（1-4级）', 'Level (1 to 4)') },
    'disability.diagnosis': { label: t('医院诊断', 'Hospital diagnosis') },
    'disability.diagnosis.hospital': {
      label: t('诊断医院（编号）', 'Diagnosing hospital (id)'),
      widget: 'text',
      reference: undefined,
    },
    'disability.diagnosis.date': { label: t('诊断日期', 'Date of diagnosis') },
    'disability.diagnosis.summary': { label: t('诊断结论', 'Diagnosis') },
    'family.situation': {
      label: t('家庭经济状况', 'Family situation'),
      options: {
        dibao: t('最低生活保障家庭', 'Minimum living allowance (低保)'),
        tekun: t('特困供养', 'Extreme poverty support (特困)'),
        other: t('其他', 'Other'),
      },
    },
    'rehabilitation.services': {
      label: t('康复服务项目', 'Services'),
      options: {
        'hearing-aid-fitting': t('助听器验配', 'Hearing aid fitting'),
        'cochlear-implant-rehab': t('人工耳蜗术后康复', 'Cochlear implant rehabilitation'),
        'speech-training': t('言语训练', 'Speech training'),
        'physical-therapy': t('运动康复', 'Physical therapy'),
        'occupational-therapy': t('作业治疗', 'Occupational therapy'),
        orthotics: t('矫形器适配', 'Orthotics'),
        'cognitive-training': t('认知训练', 'Cognitive training'),
        'behavioural-intervention': t('行为干预', 'Behavioural intervention'),
        'low-vision-aids': t('助视器适配', 'Low-vision aids'),
        'orientation-mobility': t('定向行走训练', 'Orientation and mobility'),
      },
    },
    'rehabilitation.institution': { label: t('定点康复机构（编号）', 'Designated institution (id)') },
    'rehabilitation.notes': { label: t('补充说明', 'Notes') },
  },
};

serviceHints['childcare-slot'] = {
  sections: {
    child: t('幼儿信息', 'Child'),
    guardians: t('监护人', 'Guardians'),
    residence: t('居住情况', 'Residence'),
    contact: t('联系方式', 'Contact'),
    term: t('入托学期', 'Term'),
    preferences: t('托育机构志愿', 'Nursery preferences'),
    priority: t('优先条件', 'Priority'),
  },
  fields: {
    'child.name': { label: t('幼儿姓名', "Child's name"), autoComplete: 'off' },
    'child.birthDate': { label: t('出生日期', 'Date of birth') },
    'child.sex': { label: t('性别', 'Sex'), options: sexOptions },
    'child.specialNeeds': { label: t('特殊照护需求', 'Special care needs') },
    'guardians.first': { label: t('第一监护人', 'First guardian') },
    'guardians.second': { label: t('第二监护人', 'Second guardian') },
    ...guardianFields('guardians.first'),
    ...guardianFields('guardians.second'),
    'residence.type': {
      label: t('居住依据', 'Basis of residence'),
      options: {
        hukou: t('本市户籍', 'Household registration here'),
        'residence-permit': t('居住证', 'Residence permit'),
      },
    },
    'residence.address': { label: t('居住地址', 'Home address') },
    'residence.permitValidUntil': { label: t('居住证有效期至', 'Residence permit valid until') },
    term: { label: t('入托学期（如 2027-spring）', 'Term (e.g. 2027-spring)') },
    preferences: {
      label: t('托育机构编号（按志愿顺序，最多3个）', 'Nursery ids in order of preference (up to 3)'),
    },
    priority: {
      label: t('符合的优先条件', 'Priority claims'),
      options: {
        'second-child': t('二孩家庭', 'Second child'),
        'third-child': t('三孩及以上家庭', 'Third (or later) child'),
        'both-working': t('双职工家庭', 'Both guardians working'),
        'low-income': t('低保家庭', 'Minimum-living-allowance family'),
        'child-disability': t('残疾儿童', 'Child with a disability'),
        'armed-forces': t('现役军人子女', 'Child of a serving member of the armed forces'),
      },
    },
  },
};

/** datetime-local value (YYYY-MM-DDTHH:mm, Beijing time) → ISO 8601 with +08:00 */
export function toOffsetDateTime(local: string): string {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local)) return `${local}:00+08:00`;
  return local;
}

/** ISO 8601 instant → datetime-local value in Beijing time */
export function toLocalInput(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
}

/** Labels of the outputs caseworkers record on approval (certificate numbers and the like). */
export const outputLabels: Record<string, Text> = {
  certificateNumber: t('证书编号', 'Certificate number'),
  householdNumber: t('户号', 'Household number'),
  insuranceNumber: t('医保号', 'Insurance number'),
  cardNumber: t('社保卡卡号', 'Card number'),
  reference: t('寄递单号/领取凭证号', 'Delivery or pickup reference'),
  // childcare allocation
  nurseryName: t('托育机构', 'Nursery'),
  className: t('班级', 'Class'),
  term: t('入托学期', 'Term'),
  preference: t('志愿顺序', 'Preference'),
  via: t('分配方式', 'Allocated by'),
  rank: t('摇号顺位', 'Draw rank'),
  startDate: t('入托日期', 'Start date'),
  // rehab aid
  ageYears: t('年龄（周岁）', 'Age (years)'),
  ageBand: t('年龄段', 'Age band'),
  priority: t('0–6 岁优先', 'Aged 0–6 (priority)'),
  aidYear: t('救助年度', 'Aid year'),
  familySituation: t('家庭情况', 'Family situation'),
  assessedLevel: t('评估等级', 'Assessed level'),
  sessionsPerMonth: t('每月训练次数', 'Sessions per month'),
  plan: t('康复计划', 'Rehabilitation plan'),
  standardVersion: t('救助标准版本', 'Aid standard version'),
  year: t('年度', 'Year'),
  category: t('残疾类别', 'Disability category'),
  monthlyCapFen: t('每月救助上限', 'Monthly cap'),
  yearlyCapFen: t('年度救助上限', 'Yearly cap'),
};

/** Output values shown as words rather than codes. */
export const outputValues: Record<string, Record<string, Text>> = {
  via: {
    arrival: t('登记即分配', 'On registration'),
    waitlist: t('候补递补', 'From the waitlist'),
    round: t('统一摇号', 'Allocation round'),
  },
};

/** Outputs that are machine references, not for people (the readable name is shown instead). */
export const hiddenOutputs = new Set(['nurseryId', 'class']);

export const outputHelp: Record<string, Text> = {
  certificateNumber: t('例如 Q330123456', 'e.g. Q330123456'),
  householdNumber: t('9位数字', '9 digits'),
  insuranceNumber: t('10-20位数字', '10 to 20 digits'),
  cardNumber: t('9位字母或数字', '9 letters or digits'),
};
