/**
 * The workflow engine's vocabulary: service definitions (data plus a few pure functions),
 * application state, actors, actions and events. No I/O here.
 */
import type { z } from 'zod';
import type { FieldError } from '../errors.ts';
import type { NotifyChannel } from '../forms/fields.ts';
import type { I18nText } from '../i18n.ts';

/**
 * `agent`: 代办人, an organisation's staff (a village or community committee, a hospital's
 * newborn window, a social organisation; `agency` names the organisation) who files
 * for a family with the guardian's authorisation and then sees only what they filed, masked.
 */
export type Role = 'parent' | 'caseworker' | 'auditor' | 'admin' | 'agent' | 'system';

/** How a guardian authorised an agent to file (代办/委托). */
export type AuthorisationMethod = 'letter' | 'code';

/** Who filed a case for the family, and on what authorisation (absent: the family filed it). */
export interface FiledBy {
  /** the agent's account (also the case's `applicant`: their list of filed cases) */
  sub: string;
  /** the agent's organisation */
  org?: string | undefined;
  /** the agent's display name, as their identity provider gives it */
  name?: string | undefined;
  method: AuthorisationMethod;
  /** the uploaded 委托书 (object key in the documents bucket: no personal data) */
  letter?: { key: string; contentType: string; size: number } | undefined;
  /** the guardian's number the confirmation code went to was the form's contact number */
  confirmedAt?: string | undefined;
}

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

/**
 * A counted pool (e.g. one nursery's intake for one term and age class, counted in places; or a
 * fund counted in fen, where a take is the amount granted). The store keeps `taken <= capacity`
 * with conditional writes in the same transaction as the application.
 */
export interface PoolRef {
  /** the organisation that owns the places (e.g. a nursery id) */
  org: string;
  /** the pool within it (e.g. `<term>#<class>`) */
  pool: string;
}

export const poolKey = (ref: PoolRef): string => `${ref.org}#${ref.pool}`;

/** What an application holds of a pool: `amount` units (absent: 1, a place). */
export interface PoolHold extends PoolRef {
  amount?: number | undefined;
}

/** The units a hold counts (a place is 1). */
export const holdAmount = (hold: PoolHold): number => hold.amount ?? 1;

/** An organisation's stored record (a nursery, an institution…): its type and the module's fields. */
export type OrgRecord = { orgType: string } & Record<string, unknown>;

export interface PoolState extends PoolRef {
  /** in the pool's unit: places, or an amount such as fen */
  capacity: number;
  /** units currently held by applications (places offered, accepted or settled; amounts granted) */
  taken: number;
  /** applications on this pool's waitlist */
  waiting: number;
  /** units whose holders completed (e.g. enrolled children) */
  settled: number;
  /** batch allocation: places are given by rank after `deadline`, not on arrival */
  round?: { id: string; deadline: string; allocatedAt?: string | undefined } | undefined;
  /** service data the auto step may read (e.g. the nursery's name, the intake mode) */
  data?: Record<string, unknown> | undefined;
}

/** An application's place on one pool's waitlist; `rank` orders the list (lowest first). */
export interface QueueEntry extends PoolRef {
  rank: string;
  /** the auto step that waits */
  step: string;
}

export interface AutoContext<F = FormData> {
  form: F;
  now: Date;
  /** the application as it stands (absent while it is being submitted) */
  app?: Application | undefined;
  /** pool states read just before the transition (the definition's `pools(form)`) */
  pools?: ReadonlyMap<string, PoolState> | undefined;
  /** what the caller of a `retry` passed (e.g. the sweeper's promotion, a round's placement) */
  input?: Record<string, unknown> | undefined;
}

export type AutoResult =
  | {
      outcome: 'pass';
      outputs?: Record<string, unknown>;
      /**
       * take `amount` units of this pool (default 1, a place) in the same transaction; fails if
       * fewer are free. An amount above 1 needs the pool among the definition's `pools(form)`.
       */
      take?: PoolHold | undefined;
    }
  | { outcome: 'reject'; code: string; reasons: I18nText[] }
  | {
      /** nothing can be decided yet: the step waits on these pools' waitlists until retried */
      outcome: 'wait';
      reason: string;
      queue: Array<{ pool: PoolRef; rank: string }>;
      outputs?: Record<string, unknown>;
    };

/**
 * A step of a service whose form has type `F`. Hooks are declared as methods so that a
 * definition of a concrete form type is also a definition of forms in general (the catalogue).
 */
export interface StepDefinition<F = FormData> {
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
  when?(form: F): boolean;
  /** auto steps: the pure function the engine runs at once. */
  run?(ctx: AutoContext<F>): AutoResult;
  /** human steps: the outputs an approval must carry (e.g. a certificate number). */
  outputs?: z.ZodType<Record<string, unknown>>;
  /**
   * human steps whose approval outputs the service computes from data the engine does not hold
   * (e.g. an aid standard in force, read by the module's own use case): a pure hook given the
   * application and that data. An approval without it (e.g. outputs typed on the generic decision
   * route) is refused, so such outputs are never typed by hand.
   */
  computeOutputs?(ctx: { app: Application; input: unknown }): Record<string, unknown>;
  /** human steps: coded reasons a rejection may give. */
  rejectReasons?: Record<string, I18nText>;
  /**
   * human steps: the agency decided per application when the step opens (e.g. the nursery a
   * place was offered at, `nursery:<id>`); `agency` stays the default and the catalogue label.
   */
  agencyOf?(app: Application): string | undefined;
  /** applicant steps: the parent must respond within this many working days (default 7). */
  deadline?: { workingDays: number };
  /**
   * timer steps: the step passes by itself this many calendar days after it opens (e.g. a 7-day
   * public notice). A caseworker of its `agency` may interrupt it before then (an objection);
   * it is then reviewed like a human step (approve, or reject with `rejectReasons`) within `sla`.
   */
  timer?: { days: number };
}

export interface MailLine {
  title: string;
  body: string;
}

/** A service: its form (type `F`, the zod schema's output) and its steps. */
export interface ServiceDefinition<F = FormData> {
  id: string;
  title: I18nText;
  description?: I18nText;
  form: z.ZodType<F>;
  steps: Record<string, StepDefinition<F>>;
  /** Topological order of steps, computed by defineService. */
  order: string[];
  sla: { workingDays: number };
  /**
   * false: the steps are one chain of approvals, so a rejected step rejects the application
   * (default true: a case where some agencies issued their result and another refused is
   * partially completed).
   */
  partialResults?: boolean;
  /** Dotted form paths holding 身份证号: encrypted at rest, masked in responses. */
  sensitivePaths: string[];
  /** The e-mail address notifications go to. */
  contactEmail(form: F): string | undefined;
  /** The mobile number SMS notifications go to (absent: the service sends no SMS). */
  contactPhone?(form: F): string | undefined;
  /**
   * The mobile numbers of the other guardians named on the form (a father, a second guardian):
   * one of them may link the case to their own account with a code texted to that number, and then
   * sees and acts on it as the applicant does.
   */
  guardianPhones?(form: F): string[];
  /** The channels the applicant chose (absent: e-mail only). */
  notifyChannels?(form: F): NotifyChannel[];
  /** The applicant's township (queues of township-level agencies). */
  township(form: F): string | undefined;
  /** A short, non-personal label for lists and e-mails (no ID numbers). */
  label(form: F): string;
  /** Pools the auto steps may read or take; read by the use case before each transition. */
  pools?(form: F): PoolRef[];
  /**
   * The staff agency of a pool's owner (e.g. `nursery:<id>` for a nursery's intake): its
   * caseworkers may read (masked, without reveal) the cases that wait on its pools, so they see
   * the same waitlist position and round as the family.
   */
  poolAgency?(org: string): string;
  /**
   * Eligibility checks that refuse a submission with field errors (HTTP 400, nothing stored),
   * with the pools already read (e.g. the child's age at the start of the term).
   */
  check?(ctx: {
    form: F;
    now: Date;
    pools: ReadonlyMap<string, PoolState>;
    /** the organisations `orgs(form)` named, as stored (absent when not stored) */
    orgs: ReadonlyMap<string, OrgRecord>;
  }): FieldError[];
  /**
   * Organisations the form names that admins maintain (e.g. a designated institution): the kernel
   * reads their records before `check`, which decides whether the choice is allowed.
   */
  orgs?(form: F): string[];
  /**
   * At most one application may hold each of these (sensitive) paths' values at a time, e.g.
   * one open registration or place per child. Enforced by a uniqueness item keyed by the blind
   * index, put in the create transaction and deleted when `heldWhile` stops being true
   * (default: while the application is not closed).
   */
  unique?: { paths: string[]; heldWhile?(app: Application): boolean };
  /**
   * Batch allocation ("rounds"): after a round's deadline its entrants (applications waiting with
   * a rank starting `P`) are ordered by this pure function; each gets a `retry` of its waiting
   * step with the returned input, in order.
   */
  round?: {
    plan: (ctx: {
      roundId: string;
      seed: string;
      entrants: Application[];
      pools: ReadonlyMap<string, PoolState>;
    }) => Array<{ appId: string; step: string; input: Record<string, unknown> }>;
  };
}

export type StepStatus =
  | 'pending'
  | 'open'
  | 'claimed'
  | 'info-requested'
  | 'done'
  | 'rejected'
  | 'skipped'
  | 'cancelled'
  /** auto steps: waiting on a pool's waitlist or a round */
  | 'waiting';

export const SETTLED: ReadonlySet<StepStatus> = new Set(['done', 'rejected', 'skipped', 'cancelled']);
export const ACTIVE: ReadonlySet<StepStatus> = new Set(['open', 'claimed', 'info-requested', 'waiting']);

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
  /** the mobile number for SMS: encrypted at rest like ID numbers, never in responses or logs */
  contactPhone?: string | undefined;
  /** the notification channels chosen on the form; absent: e-mail only */
  channels?: NotifyChannel[] | undefined;
  /** accounts of other guardians who linked the case (by a code to their number on the form) */
  guardians?: string[] | undefined;
  /** an agent filed the case for the family (代办); the family links it by a code to claim it */
  filedBy?: FiledBy | undefined;
  version: number;
  /**
   * How many events the application's history holds: the next event's sequence number. Only the
   * kernel assigns sequence numbers (the engine, and appendToHistory for a module's own events).
   */
  eventSeq?: number | undefined;
  createdAt: string;
  updatedAt: string;
  completedAt?: string | undefined;
  dueAt?: string | undefined;
  slaProvisional?: boolean | undefined;
  /** what this application holds of pools (taken by an auto step; released when it ends unfinished) */
  holds?: PoolHold[] | undefined;
  /** waitlists this application is on */
  queued?: QueueEntry[] | undefined;
}

export type Decision = 'approve' | 'reject' | 'request-info';

export type Action =
  | { type: 'submit'; id: string; form: FormData; filedBy?: FiledBy | undefined }
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
  | { type: 'reveal'; path: string; reason: string }
  /** the applicant answers an applicant step (e.g. accepts or declines an offered place) */
  | { type: 'respond'; step: string; response: 'accept' | 'decline'; note?: string | undefined }
  /** a caseworker stops a running timer step from passing and reviews it (e.g. an objection) */
  | { type: 'interrupt'; step: string; reason: string; note?: string | undefined }
  /** the system runs a waiting auto step again (a place was freed, a round was allocated) */
  | { type: 'retry'; step: string; input?: Record<string, unknown> | undefined };

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
  | 'id-revealed'
  /** an auto step waits (waitlist, round) */
  | 'step-waiting'
  /** an applicant step's deadline passed without a response */
  | 'step-expired'
  /** a running timer step was interrupted for review (e.g. an objection to a public notice) */
  | 'step-interrupted';

/**
 * One append-only record per change. Never holds personal data (ID numbers, form contents).
 * `T` is the engine's event types by default; a module's own events (e.g. a claim filed) use
 * their own names in the same shape and history.
 */
export interface DomainEvent<T extends string = EventType> {
  eventId: string;
  /** Position in the application's history, assigned by the kernel: 0, 1, 2, … without gaps. */
  seq: number;
  appId: string;
  service: string;
  type: T;
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

/** A module's event before the kernel numbers it (see adapters/dynamodb/history.ts). */
export type PendingEvent<T extends string = string> = Omit<DomainEvent<T>, 'seq'>;

/**
 * Store writes that must commit in the same transaction as the application, derived by the
 * engine from what changed (places held, waitlists joined or left, uniqueness held).
 */
export type StoreEffect =
  | {
      type: 'take';
      pool: PoolRef;
      /** units taken (1 for a place) */
      amount: number;
      /**
       * the pool's capacity as read before the transition, for takes of more than one unit: the
       * store writes `taken <= capacity - amount` while the capacity is still this one
       */
      capacity?: number | undefined;
      /** the taker was on this pool's waitlist (else the list must be empty: no queue jumping) */
      fromQueue: boolean;
    }
  | { type: 'release'; pool: PoolRef; amount: number }
  | { type: 'settle'; pool: PoolRef; amount: number }
  | { type: 'join'; entry: QueueEntry; rerank: boolean }
  | { type: 'leave'; entry: QueueEntry }
  /** the value travels in memory only: the store keys the item by its blind index */
  | { type: 'unique-claim'; path: string; value: string }
  | { type: 'unique-release'; path: string; value: string };

export interface TransitionResult {
  app: Application;
  events: DomainEvent[];
  /** Steps whose state changed (their task items are rewritten in the same transaction). */
  touched: string[];
  /** Writes beyond the application, its tasks and events; same transaction. */
  effects?: StoreEffect[];
}
