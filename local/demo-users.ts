/**
 * The demo users of the local dev identity provider: printed by `npm start`, offered on the
 * console's sign-in page, and accepted by `POST /local/token`. Plain data (no imports) so the
 * web build can use the same list.
 */
export interface DemoUser {
  sub: string;
  role: 'parent' | 'caseworker' | 'auditor' | 'admin';
  agency?: string;
  township?: string;
  name?: string;
  email?: string;
}

export const demoUsers: DemoUser[] = [
  { sub: 'parent-wang', role: 'parent', name: '王丽 Wang Li', email: 'wang.li@example.com' },
  { sub: 'parent-chen', role: 'parent', name: '陈静 Chen Jing', email: 'chen.jing@example.com' },
  { sub: 'cw-health', role: 'caseworker', agency: 'health', name: '卫健局 张医生' },
  {
    sub: 'cw-police-liushi',
    role: 'caseworker',
    agency: 'police',
    township: 'liushi',
    name: '柳市派出所 李警官',
  },
  {
    sub: 'cw-police-lecheng',
    role: 'caseworker',
    agency: 'police',
    township: 'lecheng',
    name: '乐成派出所 赵警官',
  },
  { sub: 'cw-insurance', role: 'caseworker', agency: 'medical-insurance', name: '医保局 周科员' },
  { sub: 'cw-hrss', role: 'caseworker', agency: 'hrss', name: '人社局 吴科员' },
  { sub: 'cw-cdc', role: 'caseworker', agency: 'cdc', name: '疾控中心 郑医生' },
  { sub: 'cw-delivery', role: 'caseworker', agency: 'service-center', name: '市民中心 孙科员' },
  { sub: 'auditor-1', role: 'auditor', name: '审计 钱审计员' },
  { sub: 'admin-1', role: 'admin', name: '管理员 冯管理员' },
  {
    sub: 'cw-dpf-liushi',
    role: 'caseworker',
    agency: 'dpf-township',
    township: 'liushi',
    name: '柳市镇残联 林干事',
  },
  {
    sub: 'cw-dpf-lecheng',
    role: 'caseworker',
    agency: 'dpf-township',
    township: 'lecheng',
    name: '乐成街道残联 黄干事',
  },
  { sub: 'cw-dpf-city', role: 'caseworker', agency: 'dpf-city', name: '市残联康复部 徐科长' },
  {
    sub: 'cw-rehab-center',
    role: 'caseworker',
    agency: 'rehab-institution:yq-rehab-center',
    name: '市残疾人康复中心 叶治疗师',
  },
  {
    sub: 'cw-rehab-liushi',
    role: 'caseworker',
    agency: 'rehab-institution:liushi-xingyu',
    name: '星语儿童康复中心 潘老师',
  },
];
