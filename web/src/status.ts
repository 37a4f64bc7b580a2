/**
 * The one table of case and step statuses with their zh-CN/en labels and badge tone. Keyed by the
 * API's own status types, so a status the API adds fails the console's typecheck until it is
 * labelled here (a missing label once blanked the page: issue 13).
 */
import type { Text } from './i18n.tsx';
import type { AppStatus, StepStatus } from './types.ts';

export type Tone = 'grey' | 'blue' | 'amber' | 'green' | 'red';

export interface StatusLabel extends Text {
  tone: Tone;
}

export const stepStatuses: Record<StepStatus, StatusLabel> = {
  pending: { 'zh-CN': '未开始', en: 'Not started', tone: 'grey' },
  open: { 'zh-CN': '待受理', en: 'Waiting', tone: 'blue' },
  claimed: { 'zh-CN': '办理中', en: 'In progress', tone: 'blue' },
  'info-requested': { 'zh-CN': '待补正', en: 'Information requested', tone: 'amber' },
  waiting: { 'zh-CN': '等待分配', en: 'Waiting for a place', tone: 'amber' },
  done: { 'zh-CN': '已办结', en: 'Done', tone: 'green' },
  rejected: { 'zh-CN': '未通过', en: 'Rejected', tone: 'red' },
  skipped: { 'zh-CN': '不适用', en: 'Not applicable', tone: 'grey' },
  cancelled: { 'zh-CN': '已取消', en: 'Cancelled', tone: 'grey' },
};

export const appStatuses: Record<AppStatus, StatusLabel> = {
  'in-progress': { 'zh-CN': '办理中', en: 'In progress', tone: 'blue' },
  'info-requested': { 'zh-CN': '待补正', en: 'Information requested', tone: 'amber' },
  completed: { 'zh-CN': '已办结', en: 'Completed', tone: 'green' },
  'partially-completed': { 'zh-CN': '部分办结', en: 'Partly completed', tone: 'amber' },
  rejected: { 'zh-CN': '未通过', en: 'Rejected', tone: 'red' },
  withdrawn: { 'zh-CN': '已撤回', en: 'Withdrawn', tone: 'grey' },
};

const unknown = (status: string): StatusLabel => ({ 'zh-CN': status, en: status, tone: 'grey' });

/** A step status's label; a value outside the contract (an older console) shows as itself. */
export const stepStatusLabel = (status: string): StatusLabel =>
  Object.hasOwn(stepStatuses, status) ? stepStatuses[status as StepStatus] : unknown(status);

export const appStatusLabel = (status: string): StatusLabel =>
  Object.hasOwn(appStatuses, status) ? appStatuses[status as AppStatus] : unknown(status);

/** The label of a status named in an event's from/to (a step's or the case's). */
export const anyStatusLabel = (status: string): StatusLabel =>
  Object.hasOwn(stepStatuses, status) ? stepStatuses[status as StepStatus] : appStatusLabel(status);
