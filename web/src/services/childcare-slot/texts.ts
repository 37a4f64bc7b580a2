/** The childcare-slot module's console texts: its strings, form hints and output labels. */
import { guardianFields, type ModuleTexts, sexOptions, t } from '../../forms/hint-kit.ts';

export const texts = {
  strings: {
    'offer.lead': [
      '已为孩子保留以下托位，请在截止时间前确认；逾期未确认，名额将依次分配给候补的孩子。',
      'This place is held for your child. Please answer by the deadline; without an answer it goes to the next child on the waitlist.',
    ],
    'offer.place': ['托育机构与班级', 'Nursery and class'],
    'offer.term': ['入托学期', 'Term'],
    'offer.deadline': ['确认截止', 'Answer by'],
    'offer.accept': ['接受托位', 'Accept the place'],
    'offer.decline': ['放弃托位', 'Decline'],
    'offer.declineWarning': [
      '放弃后该名额将分配给其他孩子，且无法撤销。',
      'Once declined, the place goes to another child; this cannot be undone.',
    ],
    'offer.note': ['放弃原因（可选）', 'Reason (optional)'],
    'offer.confirmDecline': ['确认放弃', 'Confirm decline'],
    'offer.accepted': [
      '您已接受托位，请按托育机构通知办理入托手续。',
      'You accepted the place; the nursery will tell you how to enrol.',
    ],
    'offer.declined': ['您已放弃该托位。', 'You declined the place.'],
    'plan.childcare': ['每千人口托位数（目标 4.5）', 'Childcare places per 1,000 residents (target 4.5)'],
    'plan.shortfall': ['距目标还差托位', 'Places short of the target'],
  } as const,
  hints: {
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
  },
  outputLabels: {
    nurseryName: t('托育机构', 'Nursery'),
    className: t('班级', 'Class'),
    term: t('入托学期', 'Term'),
    preference: t('志愿顺序', 'Preference'),
    via: t('分配方式', 'Allocated by'),
    rank: t('摇号顺位', 'Draw rank'),
    startDate: t('入托日期', 'Start date'),
  },
  outputValues: {
    via: {
      arrival: t('登记即分配', 'On registration'),
      waitlist: t('候补递补', 'From the waitlist'),
      round: t('统一摇号', 'Allocation round'),
    },
  },
  hiddenOutputs: ['nurseryId', 'class'],
} satisfies ModuleTexts;
