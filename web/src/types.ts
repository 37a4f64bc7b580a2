/** Shapes returned by the API (functions/core/application-service.ts, functions/http/catalog.ts). */
import type { Text } from './i18n.tsx';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  items?: JsonSchema;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  anyOf?: JsonSchema[];
  description?: string;
}

export interface StepInfo {
  step: string;
  kind: string;
  title: Text;
  agency?: string;
  needs: string[];
  sla?: { workingDays: number };
  outputs?: JsonSchema;
  rejectReasons?: Record<string, Text>;
  /** approval computes its outputs on the server through this route (`POST /path/{id}/…`) */
  approveVia?: string;
}

export interface ServiceInfo {
  id: string;
  title: Text;
  description?: Text;
  sla?: { workingDays: number };
  form: JsonSchema;
  sensitivePaths: string[];
  steps: StepInfo[];
  diagram?: Partial<Record<'zh-CN' | 'en', string>>;
}

export interface Township {
  id: string;
  name: Text;
  kind?: string;
  population?: number;
}
export interface Hospital {
  id: string;
  name: Text;
  township?: string;
}
export interface Agency {
  id: string;
  name: Text;
  level: 'city' | 'township';
}
export interface PickupPoint {
  id: string;
  name: Text;
  township?: string;
}

export interface Reference {
  townships: Township[];
  hospitals: Hospital[];
  agencies: Agency[];
  pickupPoints: PickupPoint[];
}

/** The API's own status types: a status it adds must be labelled in status.ts to typecheck. */
import type { ApplicationStatus, StepStatus } from '../../functions/core/engine/types.ts';

export type { StepStatus };
export type AppStatus = ApplicationStatus;

export interface StepReason {
  code?: string;
  note?: string;
  text?: Text[];
}

export interface StepView {
  step: string;
  title: Text;
  kind: string;
  agency?: string;
  status: StepStatus;
  openedAt?: string;
  dueAt?: string;
  decidedAt?: string;
  outputs?: Record<string, unknown>;
  reason?: StepReason | string;
  infoFields?: string[];
  infoNote?: string;
  assignee?: string;
  warned?: boolean;
  breached?: boolean;
  slaProvisional?: boolean;
}

export interface ApplicationView {
  id: string;
  service: string;
  status: AppStatus;
  label: string;
  township?: string;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
  dueAt?: string;
  slaProvisional?: boolean;
  version: number;
  form: Record<string, unknown>;
  steps: StepView[];
  /** where the application stands on each waitlist it is on (single-application reads) */
  waitlist?: WaitlistView[];
}

export interface WaitlistView {
  org: string;
  pool: string;
  /** 1 = next in line; null while a round is still to be drawn */
  position: number | null;
  length: number;
  pending: boolean;
  round?: { id: string; deadline: string; allocatedAt?: string };
  data?: Record<string, unknown>;
}

export interface TaskItem {
  appId: string;
  service: string;
  step: string;
  agency: string;
  township?: string;
  status: StepStatus;
  label: string;
  openedAt?: string;
  claimedAt?: string;
  assignee?: string;
  dueAt?: string;
  warnAt?: string;
  warned?: boolean;
  breached?: boolean;
}

export interface DomainEvent {
  eventId: string;
  seq: number;
  appId: string;
  service: string;
  type: string;
  at: string;
  actor: { sub: string; role: string; agency?: string };
  step?: string;
  agency?: string;
  township?: string;
  from?: string;
  to?: string;
  reason?: string;
  note?: string;
  data?: Record<string, unknown>;
}

export interface TimingRow {
  step: string;
  count: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  withinSlaRate: number | null;
}

export interface ProcessingTimes {
  service?: string;
  from?: string;
  to?: string;
  unit?: string;
  steps?: TimingRow[];
  overall?: TimingRow;
}

/** Rehab aid (functions/core/rehab): money is integer fen, months `YYYY-MM`. */
export interface RehabInstitution {
  id: string;
  name: Text;
  township: string;
  categories: string[];
  ages: [number, number];
}

export interface RehabPlanView {
  planId: string;
  label: string;
  category: string;
  institution: string;
  year: number;
  standardVersion: string;
  monthlyCapFen: number;
  yearlyCapFen: number;
  sessionsPerMonth: number;
  status: 'active' | 'superseded';
}

export interface RehabClaim {
  claimId: string;
  planId: string;
  institution: string;
  label: string;
  month: string;
  sessions: number;
  amountFen: number;
  status: 'filed' | 'approved' | 'rejected';
  approvedFen?: number;
  settlementMonth?: string;
}

/** `GET /rehab/plans/{planId}` */
export interface RehabPlanDetail {
  plan: RehabPlanView;
  budget: { approvedTotalFen: number; remainingFen: number } | null;
  claims: RehabClaim[];
}

export interface RehabSettlement {
  institution: string;
  month: string;
  status: 'open' | 'closed' | 'paid';
  totalFen: number;
  claimCount: number;
}

export interface RehabDocument {
  documentId: string;
  kind: string;
  contentType: string;
  size: number;
  status: 'awaiting-upload' | 'uploaded' | 'refused' | 'purged';
  createdAt: string;
  uploadedAt?: string;
  refusedReason?: string;
}

/** `POST /rehab/applications/{id}/documents`: the record and where to PUT the file */
export interface DocumentUploadTicket {
  document: RehabDocument;
  upload: { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string };
}
