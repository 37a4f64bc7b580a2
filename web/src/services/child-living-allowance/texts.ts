/**
 * 事实无人抚养儿童基本生活保障: the console's texts — form hints (the parents' situations, the
 * carer or the village committee applying, the bank account), the labels of the home visit's and
 * the confirmation's outputs, and the strings of the desks and the family's payments panel.
 */
import { type ModuleTexts, t, type Values } from '../../forms/hint-kit.ts';
import type { Text } from '../../i18n.tsx';

const conditions = {
  deceased: t('死亡', 'Deceased'),
  'declared-dead': t('被宣告死亡', 'Declared dead'),
  'declared-missing': t('被宣告失踪', 'Declared missing'),
  'severe-disability': t('重残（一、二级残疾或三、四级精神、智力残疾）', 'Severe disability'),
  'serious-illness': t('重病', 'Serious illness'),
  imprisoned: t('服刑在押', 'Serving a prison sentence'),
  'compulsory-isolation': t('强制隔离戒毒', 'Compulsory isolated drug treatment'),
  'restricted-liberty': t('被执行其他限制人身自由的措施', 'Other restriction of personal liberty'),
  'lost-contact': t('失联（下落不明超过6个月）', 'Whereabouts unknown for over 6 months'),
  deported: t('被遣送（驱逐）出境', 'Deported'),
  able: t('有抚养能力', 'Able to care for the child'),
};
const absent = ['deceased', 'declared-dead', 'declared-missing'];

const parentFields = (who: 'father' | 'mother', name: Text) => ({
  [`${who}.name`]: { label: name, autoComplete: 'off' },
  [`${who}.idNumber`]: { label: t('身份证号（如知道）', 'ID number (if known)') },
  [`${who}.condition`]: { label: t('目前情况', 'Situation'), options: conditions, widget: 'select' as const },
  [`${who}.since`]: {
    label: t('该情况开始日期', 'Since'),
    help: t('失联须已满6个月', 'Lost contact must be over 6 months'),
  },
  [`${who}.details`]: {
    label: t('情况说明（判决、诊断、报案等）', 'Details (judgment, diagnosis, police report…)'),
  },
});

export const texts = {
  hints: {
    sectionOrder: ['child', 'father', 'mother', 'carer', 'applicant', 'bank', 'notes'],
    sections: {
      child: t('儿童信息', 'Child'),
      father: t('父亲情况', "Father's situation"),
      mother: t('母亲情况', "Mother's situation"),
      carer: t('实际抚养人', 'The carer'),
      applicant: t('申请方式', 'Who applies'),
      bank: t('发放账户', 'Account for payments'),
      notes: t('其他说明', 'Other notes'),
    },
    fieldWhen: {
      'applicant.committee.name': (v: Values) => v['applicant.kind'] === 'committee',
      'applicant.committee.contactName': (v: Values) => v['applicant.kind'] === 'committee',
      'applicant.committee.phone': (v: Values) => v['applicant.kind'] === 'committee',
    },
    fields: {
      'child.name': { label: t('儿童姓名', "Child's name"), autoComplete: 'off' },
      'child.sex': { label: t('性别', 'Sex'), options: { male: t('男', 'Male'), female: t('女', 'Female') } },
      'child.birthDate': { label: t('出生日期', 'Date of birth'), help: t('须未满18周岁', 'Under 18') },
      'child.township': { label: t('户籍所在乡镇/街道', 'Township') },
      'child.address': { label: t('现居住地址', 'Where the child lives') },
      ...parentFields('father', t('父亲姓名', "Father's name")),
      ...parentFields('mother', t('母亲姓名', "Mother's name")),
      'carer.name': { label: t('抚养人姓名', "Carer's name") },
      'carer.relationship': {
        label: t('与儿童关系', 'Relationship to the child'),
        options: {
          grandparent: t('祖父母/外祖父母', 'Grandparent'),
          sibling: t('兄姐', 'Older sibling'),
          'other-relative': t('其他亲属', 'Other relative'),
          other: t('其他', 'Other'),
        },
      },
      'carer.phone': { label: t('手机号', 'Mobile phone') },
      'carer.email': { label: t('电子邮箱', 'E-mail') },
      'applicant.kind': {
        label: t('由谁申请', 'Who applies'),
        widget: 'radio',
        options: {
          carer: t('实际抚养人本人申请', 'The carer'),
          committee: t('村（居）委会代为申请', 'The village/community committee on the family’s behalf'),
        },
      },
      'applicant.committee.name': { label: t('村（居）委会名称', 'Committee') },
      'applicant.committee.contactName': { label: t('经办人', 'Person acting') },
      'applicant.committee.phone': { label: t('经办人手机号', "Person acting's mobile") },
      'bank.accountName': { label: t('户名', 'Account holder') },
      'bank.bankName': { label: t('开户银行', 'Bank and branch') },
      'bank.accountNumber': { label: t('银行账号', 'Account number'), autoComplete: 'off' },
      notes: { label: t('其他说明', 'Notes') },
    },
    checks: (v: Values) => {
      const out: Array<{ path: string; message: Text }> = [];
      const f = String(v['father.condition'] ?? '');
      const m = String(v['mother.condition'] ?? '');
      for (const [who, c] of [
        ['father', f],
        ['mother', m],
      ] as const) {
        if (c === 'able') {
          out.push({
            path: `${who}.condition`,
            message: t(
              '父母一方有抚养能力的，不属于事实无人抚养儿童',
              'A parent able to care for the child: the child is not without caregivers',
            ),
          });
        }
      }
      if (absent.includes(f) && absent.includes(m)) {
        out.push({
          path: 'mother.condition',
          message: t(
            '父母双方均死亡或失踪的，请按孤儿基本生活保障申请',
            'Both parents dead or missing: apply for the orphans’ basic living allowance instead',
          ),
        });
      }
      return out;
    },
  },
  outputLabels: {
    visitDate: t('入户调查日期', 'Home visit'),
    fatherCondition: t('核实的父亲情况', "Father's situation (verified)"),
    motherCondition: t('核实的母亲情况', "Mother's situation (verified)"),
    household: t('家庭情况', 'Household'),
    findings: t('调查结论', 'Findings'),
    endedAt: t('公示结束', 'Notice ended'),
    standardVersion: t('保障标准版本', 'Standard version'),
    year: t('标准年度', 'Standard year'),
    monthlyFen: t('每月基本生活费（分）', 'Monthly allowance (fen)'),
    startMonth: t('起始发放月份', 'Paid from'),
  },
  outputValues: {
    fatherCondition: conditions,
    motherCondition: conditions,
    household: {
      'with-grandparents': t('随祖父母生活', 'Lives with grandparents'),
      'with-relatives': t('随其他亲属生活', 'Lives with relatives'),
      'with-others': t('由他人照料', 'Cared for by others'),
      alone: t('独自生活', 'Lives alone'),
    },
  },
  outputHelp: {
    findings: t('入户调查所见：居住、照料、就学情况', 'What the visit found: housing, care, schooling'),
  },
  strings: {
    'cla.desk': ['生活保障发放', 'Living allowance desk'],
    'cla.notYours': [
      '本页面供乡镇（街道）社会事务办和市民政局使用',
      'This page is for the township civil-affairs offices and the city bureau',
    ],
    'cla.child': ['儿童', 'Child'],
    'cla.township': ['乡镇/街道', 'Township'],
    'cla.month': ['月份', 'Month'],
    'cla.allowances': ['保障对象', 'Allowances'],
    'cla.batch': ['发放批次', 'Payment batch'],
    'cla.createBatch': ['生成本月发放批次', 'Create the month’s batch'],
    'cla.closeBatch': ['核对无误，关闭批次', 'Checked: close the batch'],
    'cla.markPaid': ['登记已发放', 'Record as paid'],
    'cla.paymentReference': ['银行转账流水号', 'Bank transfer reference'],
    'cla.count': ['人数', 'Children'],
    'cla.total': ['合计金额', 'Total'],
    'cla.amount': ['金额', 'Amount'],
    'cla.status': ['状态', 'Status'],
    'cla.payments': ['发放记录', 'Payments'],
    'cla.noPayments': ['尚无发放记录', 'Nothing paid yet'],
    'cla.allowance': ['基本生活保障', 'Living allowance'],
    'cla.startMonth': ['起始发放月份', 'Paid from'],
    'cla.endMonth': ['发放至', 'Paid through'],
    'cla.nextReview': ['下次年度复核', 'Next annual review'],
    'cla.reviewOpen': ['年度复核进行中', 'Annual review in progress'],
    'cla.reviewContinue': ['复核通过，继续发放', 'Review passed: continue'],
    'cla.objection': ['登记公示异议', 'Record an objection'],
    'cla.objectionNote': ['异议内容', 'The objection'],
    'cla.confirm': ['按现行标准确认', 'Confirm with the standard in force'],
    'cla.active': ['发放中', 'Active'],
    'cla.ended': ['已终止', 'Ended'],
    'cla.pending': ['待发放', 'Pending'],
    'cla.paid': ['已发放', 'Paid'],
    'cla.cancelled': ['已取消', 'Cancelled'],
    'cla.open': ['待核对', 'Open'],
    'cla.closed': ['已关闭', 'Closed'],
    'cla.evidence': ['证明材料', 'Evidence'],
    'cla.kind.father-evidence': ['父亲情况证明', "Evidence of the father's situation"],
    'cla.kind.mother-evidence': ['母亲情况证明', "Evidence of the mother's situation"],
    'cla.kind.household-register': ['户口簿', 'Household register'],
    'cla.kind.other': ['其他材料', 'Other'],
  },
} satisfies ModuleTexts;
