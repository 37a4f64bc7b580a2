/** An aid plan's status for the family (a change of institution replaces a plan), zh-CN and en. */
import type { Text } from '../../i18n.tsx';
import type { RehabPlanView } from './types.ts';

export const planStatusLabels: Record<RehabPlanView['status'], Text> = {
  active: { 'zh-CN': '执行中', en: 'Active' },
  superseded: { 'zh-CN': '已由变更机构申请替代', en: 'Replaced by a change of institution' },
};

export const replacementLink: Text = { 'zh-CN': '查看新的申请', en: 'See the new application' };
