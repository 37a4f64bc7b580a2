/**
 * Ports: what core needs from the outside world. Adapters (functions/adapters) implement them;
 * handler modules wire concrete adapters once per cold start; unit tests use in-memory fakes.
 */
import type {
  Application,
  DomainEvent,
  OrgRecord,
  PoolRef,
  PoolState,
  QueueEntry,
  StepStatus,
  TransitionResult,
} from './engine/types.ts';

export interface TaskItem {
  appId: string;
  service: string;
  step: string;
  agency: string;
  township?: string | undefined;
  status: StepStatus;
  label: string;
  openedAt?: string | undefined;
  claimedAt?: string | undefined;
  assignee?: string | undefined;
  dueAt?: string | undefined;
  warnAt?: string | undefined;
  warned?: boolean | undefined;
  breached?: boolean | undefined;
}

export interface QueueQuery {
  agency: string;
  township?: string | undefined;
  status: StepStatus;
  limit?: number;
}

export interface IdempotencyClaim {
  /** the caller-scoped key (applicant + Idempotency-Key header) */
  key: string;
  bodyHash: string;
}

export interface ApplicationRepository {
  /** Creates the application with its tasks and events in one transaction. With an idempotency
   * claim, a repeated key with the same body returns the first application instead. */
  create(
    result: TransitionResult,
    idempotency?: IdempotencyClaim,
  ): Promise<{ app: Application; created: boolean }>;
  get(id: string): Promise<Application | null>;
  /** The record of an idempotency key (caller-scoped), or null when the key is new. */
  findIdempotent(key: string): Promise<{ appId: string; bodyHash: string } | null>;
  /** Writes the new state, the touched tasks and the events in one transaction, if the stored
   * version is still `expectedVersion`; else throws VersionConflictError. */
  save(result: TransitionResult, expectedVersion: number): Promise<void>;
  listByApplicant(applicant: string, limit?: number): Promise<Application[]>;
  listQueue(query: QueueQuery): Promise<TaskItem[]>;
  listEvents(appId: string): Promise<DomainEvent[]>;
  /** Steps with a timer due at or before `now` (sparse index). */
  dueTimers(now: Date, limit: number): Promise<Array<{ appId: string; step: string }>>;
  /**
   * Capacity pools and their waitlists, for services that declare `pools` (`create` and `save`
   * then also apply the transition's `effects` in the same transaction).
   */
  pools?: PoolRepository | undefined;
  /**
   * Adds a guardian's account to the case (and to that account's list of applications), moving
   * the case's version on so a transition read before cannot overwrite it. 'already' when linked.
   */
  linkGuardian?(appId: string, sub: string, at: string): Promise<'linked' | 'already'>;
  /** Organisations' records by id (for services that declare `orgs`). */
  orgs?: { read(ids: string[]): Promise<Map<string, OrgRecord>> } | undefined;
}

export interface WaitlistItem {
  appId: string;
  step: string;
  rank: string;
}

/** A batch allocation (e.g. one term's lottery round): recorded for audit, run once after its deadline. */
export interface RoundRecord {
  service: string;
  id: string;
  deadline: string;
  pools: PoolRef[];
  status: 'open' | 'allocating' | 'allocated';
  /** the lottery seed, fixed when allocation starts and kept for audit */
  seed?: string | undefined;
  startedAt?: string | undefined;
  allocatedAt?: string | undefined;
  entrants?: number | undefined;
  placed?: number | undefined;
}

export interface PoolRepository {
  /** Current states (strongly consistent) of the pools that exist among `refs`, by poolKey. */
  read(refs: PoolRef[]): Promise<Map<string, PoolState>>;
  /**
   * Opens a counted pool (capacity in the module's unit: places, or an amount such as fen) with
   * the module's own data; 'exists' if it is open already (nothing changes).
   */
  openPool(
    ref: PoolRef,
    capacity: number,
    at: string,
    data?: Record<string, unknown>,
  ): Promise<'created' | 'exists'>;
  /** A pool's waitlist, lowest rank first (optionally only ranks starting with `rankPrefix`). */
  waitlist(pool: PoolRef, opts?: { limit?: number; rankPrefix?: string }): Promise<WaitlistItem[]>;
  /** How many entries are ahead of each of the application's entries (0 = first in line). */
  ahead(appId: string, entries: QueueEntry[]): Promise<number[]>;
  /** Pools where a place was freed (or capacity raised) since the last sweep. */
  duePools(now: Date, limit: number): Promise<Array<{ pool: PoolRef; marker: string }>>;
  /** Flags a pool for the next sweep. */
  markDue(pool: PoolRef, now: Date): Promise<void>;
  /** Clears a pool's flag unless a newer change set it again. */
  clearDue(pool: PoolRef, marker: string): Promise<void>;
  getRound(service: string, id: string): Promise<RoundRecord | null>;
  /** Rounds past their deadline and not yet allocated. */
  dueRounds(now: Date, limit: number): Promise<RoundRecord[]>;
  /** Marks the round `allocating` with its seed (kept if already set: a resumed run reuses it). */
  startRound(service: string, id: string, seed: string, now: Date): Promise<RoundRecord>;
  /** Marks the round and its pools allocated, and flags the pools for the sweeper. */
  finishRound(
    service: string,
    id: string,
    stats: { entrants: number; placed: number },
    now: Date,
  ): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface Ids {
  newId(): string;
}

export const systemClock: Clock = { now: () => new Date() };

export interface Mailer {
  send(to: string, subject: string, text: string): Promise<{ messageId: string }>;
}

/**
 * What a text says, as parts: providers that send only registered templates (the China stage's
 * domestic provider) fill their template's variables from these instead of sending `text`.
 * - `status`: a case's new status (service title, application number, short status phrase);
 * - `code`: a one-time code of the progress lookup, valid for `minutes`.
 */
export type SmsContent =
  | { kind: 'status'; service: string; applicationNumber: string; status: string }
  | { kind: 'code'; code: string; minutes: number };

/**
 * Sends one text message (AWS End User Messaging SMS, or a domestic provider's registered
 * templates; locally the SMS sink). The number is a mainland mobile number as on the form
 * (11 digits); adapters add the country code. `text` is the full rendered message; `content`
 * the same message as parts, for template-only providers.
 */
export interface SmsSender {
  send(to: string, text: string, content?: SmsContent): Promise<{ messageId: string }>;
}

/** The channel of one delivery: one record, claim and status per event and channel. */
export type DeliveryChannel = 'email' | 'sms';

export interface DeliveryLog {
  /**
   * Claims the right to send for this event on this channel (a lease). Not ok when it was settled
   * already, or `held` while another consumer's lease runs (it may have died: the sweeper resumes
   * it).
   */
  claim(
    appId: string,
    eventId: string,
    eventType: string,
    now: Date,
    channel?: DeliveryChannel,
  ): Promise<{ ok: true; attempts: number } | { ok: false; held: boolean }>;
  /** deliveries nobody is finishing: a lease run out (crashed consumer) or a retry left waiting */
  unfinished(
    now: Date,
    limit: number,
  ): Promise<Array<{ appId: string; eventId: string; channel: DeliveryChannel }>>;
  finish(
    appId: string,
    eventId: string,
    status: 'sent' | 'retrying' | 'failed' | 'skipped',
    now: Date,
    extra?: { messageId?: string; error?: string },
    channel?: DeliveryChannel,
  ): Promise<void>;
  deadLetter(consumer: string, id: string, record: Record<string, unknown>, now: Date): Promise<void>;
  /** messages already sent on this channel (default e-mail) for this application (abuse bound) */
  sentCount(appId: string, channel?: DeliveryChannel): Promise<number>;
  /**
   * Takes one text message from the day's budget shared by every sender (the spend guard); false
   * when the day's cap is reached. Days are China days (UTC+8).
   */
  takeSmsBudget(now: Date, dailyCap: number): Promise<boolean>;
}

/** Fixed-window counters shared by every instance (adapters/dynamodb/rate-limiter.ts). */
export interface RateCounter {
  hit(
    scope: string,
    subject: string,
    limit: number,
    windowSeconds: number,
    now?: Date,
  ): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
}

/**
 * What a one-time code is for (the store builds its key from this): the progress lookup of a
 * case, a guardian linking a case to an account, an agent's authorisation by a guardian's number.
 * `account`, `agent` and `number` are keyed hashes, never the clear values.
 */
export type CodeFor =
  | { purpose: 'progress'; appId: string }
  | { purpose: 'link'; appId: string; account: string }
  | { purpose: 'agent'; agent: string; number: string };

/**
 * One-time codes sent by SMS (the progress lookup without sign-in, a guardian's link, an agent's
 * authorisation), one per purpose and subject, hashed (keyed hash) at rest, with a lifetime and
 * an attempt budget.
 */
export interface ProgressCodeStore {
  /** Stores (replacing any earlier one) the code's hash until `expiresAt`. */
  put(code: CodeFor, hash: string, expiresAt: Date): Promise<void>;
  /**
   * Counts one attempt and answers the stored hash, or null when there is no code, it has
   * expired or its attempts are used up.
   */
  attempt(code: CodeFor, now: Date, maxAttempts: number): Promise<string | null>;
  /** Forgets the code (used once, or used up). */
  remove(code: CodeFor): Promise<void>;
}
