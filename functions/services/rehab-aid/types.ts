/**
 * What follows an approved rehab-aid application: the documents attached to it, the aid plan
 * (the institution the family chose, the caps of the standard applied), the per-child-per-year
 * budget that holds the caps, the institutions' monthly service claims and the monthly
 * settlement per institution that finance pays (直接结算). Money is integer fen (分).
 */

import type { PendingEvent } from '#core/engine/types';
import type { AgeBand, DisabilityCategory, OneOffItem } from '#services/rehab-aid/reference';

export const documentKinds = ['diagnosis', 'disability-certificate', 'hukou'] as const;
export type DocumentKind = (typeof documentKinds)[number];

/** A rehab-aid document is a kernel case document (core/case-documents.ts). */
export type { CaseDocument as RehabDocument } from '#core/case-documents';
export { type DocumentType, documentTypes } from '#core/documents';

export type PlanKind = 'new' | 'renewal' | 'change-institution';

export interface AidPlan {
  /** the approved application's id */
  planId: string;
  applicant: string;
  /** HMAC blind index of the child's ID number: one budget per child and year, never the number */
  childKey: string;
  /** masked name and category, for lists */
  label: string;
  township: string;
  category: DisabilityCategory;
  ageBand: AgeBand;
  year: number;
  institution: string;
  standardVersion: string;
  monthlyCapFen: number;
  yearlyCapFen: number;
  sessionsPerMonth: number;
  kind: PlanKind;
  previousPlanId?: string | undefined;
  status: 'active' | 'superseded';
  supersededBy?: string | undefined;
  createdAt: string;
  updatedAt: string;
}

/** The caps of one child's aid year and what has been approved against them. */
export interface ChildBudget {
  childKey: string;
  year: number;
  monthlyCapFen: number;
  yearlyCapFen: number;
  approvedTotalFen: number;
  /** approved fen per service month, `YYYY-MM` → fen */
  months: Record<string, number>;
  /** approved fen per one-off item (each at most once a year), outside the caps above */
  items?: Partial<Record<OneOffItem, number>> | undefined;
  activePlanId: string;
  standardVersion: string;
  updatedAt: string;
}

export type ClaimStatus = 'filed' | 'approved' | 'rejected';

export interface ServiceClaim {
  claimId: string;
  planId: string;
  institution: string;
  label: string;
  /** the service month, `YYYY-MM` */
  month: string;
  /** a one-off item (surgery, device): its own cap, once a year; absent for monthly training */
  item?: OneOffItem | undefined;
  /** training sessions in the month; 0 for a one-off item */
  sessions: number;
  amountFen: number;
  note?: string | undefined;
  status: ClaimStatus;
  filedAt: string;
  filedBy: string;
  approvedFen?: number | undefined;
  /** the settlement (payment) month the approval was booked into, `YYYY-MM` */
  settlementMonth?: string | undefined;
  decidedAt?: string | undefined;
  decidedBy?: string | undefined;
  reason?: { code: string; note?: string | undefined } | undefined;
}

export type SettlementStatus = 'open' | 'closed' | 'paid';

/** What finance pays one institution for one month: claims approved in that month. */
export interface Settlement {
  institution: string;
  month: string;
  status: SettlementStatus;
  totalFen: number;
  claimCount: number;
  closedAt?: string | undefined;
  closedBy?: string | undefined;
  paidAt?: string | undefined;
  paidBy?: string | undefined;
  paymentReference?: string | undefined;
}

export type RehabEventType =
  | 'document-requested'
  | 'document-uploaded'
  | 'document-refused'
  | 'document-viewed'
  | 'documents-purged'
  | 'institution-chosen'
  | 'plan-superseded'
  | 'claim-filed'
  | 'claim-approved'
  | 'claim-rejected';

/**
 * An audit record appended to the application's event history, numbered there by the kernel
 * (`GET /applications/{id}/events` shows it). Ids, codes and amounts only: never names, ID
 * numbers or file contents.
 */
export type RehabEvent = PendingEvent<RehabEventType> & {
  service: 'rehab-aid';
  data?: Record<string, string | number | boolean> | undefined;
};
