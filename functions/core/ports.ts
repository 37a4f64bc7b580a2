/**
 * Ports: what core needs from the outside world. Adapters (functions/adapters) implement them;
 * handler modules wire concrete adapters once per cold start; unit tests use in-memory fakes.
 */
import type { Application, DomainEvent, StepStatus, TransitionResult } from './engine/types.ts';

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
  /** Writes the new state, the touched tasks and the events in one transaction, if the stored
   * version is still `expectedVersion`; else throws VersionConflictError. */
  save(result: TransitionResult, expectedVersion: number): Promise<void>;
  listByApplicant(applicant: string, limit?: number): Promise<Application[]>;
  listQueue(query: QueueQuery): Promise<TaskItem[]>;
  listEvents(appId: string): Promise<DomainEvent[]>;
  /** Applications of a service in a status, last updated within [from, to] (ISO instants). */
  listByStatus(service: string, status: string, from: string, to: string): Promise<Application[]>;
  /** Steps with a timer due at or before `now` (sparse index). */
  dueTimers(now: Date, limit: number): Promise<Array<{ appId: string; step: string }>>;
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

export interface DeliveryLog {
  claim(
    appId: string,
    eventId: string,
    eventType: string,
    now: Date,
  ): Promise<{ ok: boolean; attempts: number }>;
  finish(
    appId: string,
    eventId: string,
    status: 'sent' | 'retrying' | 'failed' | 'skipped',
    now: Date,
    extra?: { messageId?: string; error?: string },
  ): Promise<void>;
  deadLetter(consumer: string, id: string, record: Record<string, unknown>, now: Date): Promise<void>;
  /** e-mails already sent for this application (abuse bound) */
  sentCount(appId: string): Promise<number>;
}
