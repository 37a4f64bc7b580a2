/**
 * The kernel's demo users of the local dev identity provider (parents, the city's agencies, an
 * auditor, an admin); service modules add their own (local/dev-idp.ts merges them). Printed by
 * `npm start`, offered on the console's sign-in page, accepted by `POST /local/token`.
 */
import type { DemoUser } from '../functions/core/module.ts';

export type { DemoUser };

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
  {
    sub: 'agent-dongfeng',
    role: 'agent',
    agency: 'liushi-dongfeng-committee',
    township: 'liushi',
    name: '柳市镇东风村委会 林主任',
  },
  { sub: 'auditor-1', role: 'auditor', name: '审计 钱审计员' },
  { sub: 'admin-1', role: 'admin', name: '管理员 冯管理员' },
];
