/**
 * What the rehab-aid use cases need from the outside: a store for documents' records, plans,
 * budgets, claims, settlements and aid standards (DynamoDB in production, a fake in unit tests)
 * and an object storage for the documents themselves (S3 with presigned URLs).
 */
import type { PendingEvent } from '#core/engine/types';
import type { AidStandard, InstitutionRecord, OneOffItem } from '#services/rehab-aid/reference';
import type {
  AidPlan,
  ChildBudget,
  ClaimStatus,
  RehabDocument,
  RehabEvent,
  ServiceClaim,
  Settlement,
} from '#services/rehab-aid/types';

/** How a new plan takes the child's budget for its year. */
export type BudgetChange =
  /** the first plan of this child and year: the budget is created (fails if one exists) */
  | { type: 'create'; budget: ChildBudget }
  /** a change of institution: the budget moves from the active plan to the new one */
  | { type: 'switch'; childKey: string; year: number; fromPlanId: string };

export interface ClaimApproval {
  claim: ServiceClaim;
  approvedFen: number;
  /** the caps the approval was checked against (read from the budget just before) */
  caps: { monthlyCapFen: number; yearlyCapFen: number };
  /**
   * A one-off item's approval: held to the item's cap and once per child and year (the store's
   * condition), never to the monthly or yearly training caps.
   */
  item?: { id: OneOffItem; capFen: number } | undefined;
  childKey: string;
  year: number;
  settlementMonth: string;
  at: string;
  by: string;
  event: RehabEvent;
}

export interface RehabStore {
  /**
   * Creates a document unless the application holds `limit.max` (not refused) documents already,
   * checked in the same write: TooManyDocumentsError. `limit.held` is the count the caller read,
   * used only where no count was kept yet (documents from before the count).
   */
  createDocument(
    doc: RehabDocument,
    event: PendingEvent,
    limit: { max: number; held: number },
  ): Promise<void>;
  getDocument(appId: string, documentId: string): Promise<RehabDocument | null>;
  listDocuments(appId: string): Promise<RehabDocument[]>;
  /**
   * Moves a document out of `awaiting-upload`; VersionConflict-like InvalidState if it moved
   * already. A refused document no longer counts against the limit.
   */
  finishDocument(doc: RehabDocument, event: PendingEvent): Promise<void>;
  /** Appends an audit event to the application's history (e.g. a document was viewed). */
  appendEvent(event: PendingEvent): Promise<void>;
  /**
   * Marks documents `purged` (their files are already deleted) with one event, in one
   * transaction; documents purged already are left as they are.
   */
  purgeDocuments(appId: string, docs: RehabDocument[], event: RehabEvent): Promise<void>;

  /**
   * Rehab applications that reached a closed `status`, oldest first, whose closing sort key
   * (`<updatedAt>#<id>`) is after `after` (exclusive) and before `before` (exclusive).
   */
  closedApplications(
    status: string,
    after: string | undefined,
    before: string,
    limit: number,
  ): Promise<Array<{ appId: string; sortKey: string }>>;
  /** How far the document-retention job got for a closed status (a sort key), if anywhere. */
  retentionMark(status: string): Promise<string | undefined>;
  setRetentionMark(status: string, sortKey: string): Promise<void>;

  /** The version in force (admin-published); null when only the seed exists. */
  currentStandard(year: number): Promise<AidStandard | null>;
  standardVersion(year: number, version: number): Promise<AidStandard | null>;
  /** Publishes `next` if `previousVersion` is still the current one (0: none stored yet). */
  publishStandard(next: AidStandard, previousVersion: number, seed?: AidStandard): Promise<void>;

  /** Designated institutions as admins last changed them (seed ones never changed are absent). */
  getInstitution(id: string): Promise<InstitutionRecord | null>;
  listInstitutions(): Promise<InstitutionRecord[]>;
  /**
   * Stores `record` (version n) if the stored one is still version n − 1 (none stored: n = 1),
   * and keeps it in the institution's history. An organisation of another type with that id,
   * or a concurrent change, is a conflict (nothing written).
   */
  putInstitution(record: InstitutionRecord): Promise<void>;
  /** Every version an admin stored, oldest first. */
  institutionHistory(id: string): Promise<InstitutionRecord[]>;

  getPlan(planId: string): Promise<AidPlan | null>;
  getBudget(childKey: string, year: number): Promise<ChildBudget | null>;
  /** One transaction: the plan, the budget change, the superseded plan (if any), the events. */
  createPlan(plan: AidPlan, budget: BudgetChange, events: RehabEvent[], supersede?: AidPlan): Promise<void>;
  listPlansByInstitution(institution: string): Promise<AidPlan[]>;

  fileClaim(claim: ServiceClaim, event: RehabEvent): Promise<void>;
  getClaim(planId: string, claimId: string): Promise<ServiceClaim | null>;
  listClaimsOfPlan(planId: string): Promise<ServiceClaim[]>;
  listClaimsByStatus(status: ClaimStatus, limit?: number): Promise<ServiceClaim[]>;
  /**
   * One transaction: the claim filed → approved, the child's budget (never past either cap:
   * CapExceededError), the institution's open settlement of the month, the event.
   */
  approveClaim(input: ClaimApproval): Promise<void>;
  rejectClaim(claim: ServiceClaim, event: RehabEvent): Promise<void>;

  getSettlement(institution: string, month: string): Promise<Settlement | null>;
  listSettlements(month: string): Promise<Settlement[]>;
  listSettledClaims(institution: string, month: string): Promise<ServiceClaim[]>;
  /** Moves a settlement from `from` to the next status with the given fields (conditional). */
  advanceSettlement(
    institution: string,
    month: string,
    from: 'open' | 'closed',
    patch: Partial<Settlement>,
  ): Promise<Settlement>;
}

export type { DocumentStorage, StoredObject, UploadTicket } from '#core/documents';
