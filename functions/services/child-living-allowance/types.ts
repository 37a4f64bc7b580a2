/** The records of the allowance after confirmation: the allowance, its payments, the batches. */
import type { EndReason } from '#services/child-living-allowance/reference';

export interface Allowance {
  appId: string;
  applicant: string;
  township: string;
  label: string;
  /** the child's birth date (the 18th birthday ends the allowance); never the ID number */
  birthDate: string;
  confirmedAt: string;
  /** first month paid, YYYY-MM */
  startMonth: string;
  status: 'active' | 'ended';
  /** last month paid, YYYY-MM (payments stop from the month after) */
  endMonth?: string | undefined;
  endReason?: EndReason | undefined;
  endedAt?: string | undefined;
  /** the 18th-birthday notice was sent (a month before) */
  ageNoticeAt?: string | undefined;
  /** the next anniversary (YYYY-MM-DD, China time) on which an annual review opens */
  nextReviewOn: string;
  review?: { year: number; openedAt: string; dueAt: string; overdue?: boolean | undefined } | undefined;
  reviews: number;
  version: number;
}

export interface Payment {
  appId: string;
  township: string;
  month: string;
  amountFen: number;
  standardVersion: string;
  status: 'pending' | 'paid' | 'cancelled';
  paidAt?: string | undefined;
  paymentReference?: string | undefined;
}

export interface PaymentBatch {
  township: string;
  month: string;
  status: 'open' | 'closed' | 'paid';
  count: number;
  totalFen: number;
  standardVersion: string;
  createdAt: string;
  createdBy: string;
  closedAt?: string | undefined;
  closedBy?: string | undefined;
  paidAt?: string | undefined;
  paidBy?: string | undefined;
  paymentReference?: string | undefined;
}
