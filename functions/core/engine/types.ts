/**
 * The workflow engine's vocabulary: service definitions (data plus a few pure functions),
 * application state, actors, actions and events. No I/O here.
 */
import type { z } from 'zod';
import type { I18nText } from '../i18n.ts';

export type Role = 'parent' | 'caseworker' | 'auditor' | 'admin' | 'system';

export interface Actor {
  sub: string;
  role: Role;
  agency?: string | undefined;
  township?: string | undefined;
  name?: string | undefined;
  email?: string | undefined;
}

export const SYSTEM_ACTOR: Actor = { sub: 'system', role: 'system' };

export type StepKind = 'auto' | 'human' | 'applicant' | 'timer';

export type FormData = Record<string, unknown>;

export interface AutoContext {
  form: FormData;
  now: Date;
}

export type AutoResult =
  | { outcome: 'pass'; outputs?: Record<string, unknown> }
  | { outcome: 'reject'; code: string; reasons: I18nText[] };

export interface StepDefinition {
  kind: StepKind;
  title: I18nText;
  /** Steps that must be settled before this one opens. */
  needs?: string[];
  /**
   * `all-done` (default): opens when every need is done; skipped if one was rejected/skipped.
   * `any-done`: opens when every need is settled and at least one is done (e.g. delivery of
   * whatever items succeeded).
   */
  join?: 'all-done' | 'any-done';
  /** Deciding agency for human steps. */
  agency?: string;
  /** Queue is partitioned by the applicant's township (township-level agencies). */
  byTownship?: boolean;
  sla?: { workingDays: number };
  /** Whether the applicant wants this step at all (e.g. items chosen on the form). */
  when?: (form: FormData) => boolean;
  /** auto steps: the pure function the engine runs at once. */
  run?: (ctx: AutoContext) => AutoResult;
  /** human steps: the outputs an approval must carry (e.g. a certificate number). */
  outputs?: z.ZodType<Record<string, unknown>>;
  /** human steps: coded reasons a rejection may give. */
  rejectReasons?: Record<string, I18nText>;
}

export interface ServiceDefinition {
  id: string;
  title: I18nText;
  description?: I18nText;
  form: z.ZodType<FormData>;
  steps: Record<string, StepDefinition>;
  /** Topological order of steps, computed by defineService. */
  order: string[];
  sla: { workingDays: number };
  /** Dotted form paths holding 身份证号: encrypted at rest, masked in responses. */
  sensitivePaths: string[];
  /** The e-mail address notifications go to. */
  contactEmail: (form: FormData) => string | undefined;
  /** The applicant's township (queues of township-level agencies). */
  township: (form: FormData) => string | undefined;
  /** A short, non-personal label for lists and e-mails (no ID numbers). */
  label: (form: FormData) => string;
}

export type StepStatus =
  | 'pending'
  | 'open'
  | 'claimed'
  | 'info-requested'
  | 'done'
  | 'rejected'
  | 'skipped'
  | 'cancelled';

export const SETTLED: ReadonlySet<StepStatus> = new Set(['done', 'rejected', 'skipped', 'cancelled']);
export const ACTIVE: ReadonlySet<StepStatus> = new Set(['open', 'claimed', 'info-requested']);

export interface StepState {
  step: string;
  kind: StepKind;
  agency?: string | undefined;
  township?: string | undefined;
  status: StepStatus;
  openedAt?: string | undefined;
  claimedAt?: string | undefined;
  assignee?: string | undefined;
  decidedAt?: string | undefined;
  decidedBy?: string | undefined;
  /** SLA: due, and warning at 80% of the promised time; shifted by pauses. */
  dueAt?: string | undefined;
  warnAt?: string | undefined;
  /** Due time computed across a year with no holiday data (weekdays assumed). */
  slaProvisional?: boolean | undefined;
  warned?: boolean | undefined;
  breached?: boolean | undefined;
  pausedAt?: string | undefined;
  pausedMs: number;
  infoFields?: string[] | undefined;
  infoNote?: string | undefined;
  outputs?: Record<string, unknown> | undefined;
  reason?: { code: string; note?: string | undefined; text?: I18nText[] | undefined } | undefined;
}

export type ApplicationStatus =
  | 'in-progress'
  | 'info-requested'
  | 'completed'
  | 'partially-completed'
  | 'rejected'
  | 'withdrawn';

export const TERMINAL: ReadonlySet<ApplicationStatus> = new Set([
  'completed',
  'partially-completed',
  'rejected',
  'withdrawn',
]);

export interface Application {
  id: string;
  service: string;
  applicant: string;
  status: ApplicationStatus;
  form: FormData;
  steps: Record<string, StepState>;
  township?: string | undefined;
  label: string;
  contactEmail?: string | undefined;
  version: number;
  createdAt: string;
  updatedAt: string;
  completedAt?: string | undefined;
  dueAt?: string | undefined;
  slaProvisional?: boolean | undefined;
}

export type Decision = 'approve' | 'reject' | 'request-info';

export type Action =
  | { type: 'submit'; id: string; form: FormData }
  | { type: 'claim'; step: string }
  | { type: 'unclaim'; step: string }
  | {
      type: 'decide';
      step: string;
      decision: Decision;
      reason?: string | undefined;
      note?: string | undefined;
      outputs?: Record<string, unknown> | undefined;
      fields?: string[] | undefined;
    }
  | { type: 'resubmit'; form: FormData }
  | { type: 'withdraw' }
  | { type: 'timer'; step: string }
  | { type: 'reveal'; path: string; reason: string };

export type EventType =
  | 'submitted'
  | 'step-opened'
  | 'step-claimed'
  | 'step-unclaimed'
  | 'step-approved'
  | 'step-rejected'
  | 'step-skipped'
  | 'step-cancelled'
  | 'info-requested'
  | 'resubmitted'
  | 'sla-warning'
  | 'sla-breached'
  | 'completed'
  | 'partially-completed'
  | 'rejected'
  | 'withdrawn'
  | 'id-revealed';

/** One append-only record per change. Never holds personal data (ID numbers, form contents). */
export interface DomainEvent {
  eventId: string;
  seq: number;
  appId: string;
  service: string;
  type: EventType;
  at: string;
  actor: { sub: string; role: Role; agency?: string | undefined };
  step?: string | undefined;
  agency?: string | undefined;
  township?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  reason?: string | undefined;
  note?: string | undefined;
  /** Non-personal facts for consumers, e.g. outputs' keys, durations in seconds. */
  data?: Record<string, unknown> | undefined;
}

export interface TransitionResult {
  app: Application;
  events: DomainEvent[];
  /** Steps whose state changed (their task items are rewritten in the same transaction). */
  touched: string[];
}
