/**
 * What each Lambda function may touch and how it runs. HTTP functions come from the route table
 * (functions/http/routes.ts): a kernel handler module deploys with `defaultHttpAccess` unless
 * listed below; a service module's function and jobs carry the access its module declares
 * (functions/services/<id>/module.ts), so a new service needs no edit here.
 */
import type { FunctionAccess, FunctionSizing } from '../functions/core/module.ts';
import type { KernelHandlerName, streamHandlers } from '../functions/http/routes.ts';
import { modules } from '../functions/services/registry.ts';
import type { StageConfig } from './config/stage-config.ts';

export type { FunctionAccess, FunctionSizing };
export type StreamHandlerName = (typeof streamHandlers)[number];
export type ScheduledHandlerName = string;

/**
 * Access for an HTTP handler module not listed below. Anything that reads or writes applications
 * decrypts the envelope keys of ID numbers once per cold start (kms:Decrypt only: the data key
 * itself encrypts and decrypts in memory).
 */
export const defaultHttpAccess: FunctionAccess = { table: 'readWrite', fieldKey: 'decrypt' };

const kernelHttpAccess: Partial<Record<KernelHandlerName, FunctionAccess>> = {
  /** One GetItem to prove the store answers, plus the calendar read. */
  health: { table: 'read' },
  /** Services and reference data; reference data is admin-editable data in the table. */
  catalog: { table: 'read' },
  /** Submits (encrypts the ID number), reveals (decrypts, audited), uploads documents. */
  applications: { table: 'readWrite', fieldKey: 'decrypt', documents: 'readPut' },
  tasks: { table: 'readWrite', fieldKey: 'decrypt', documents: 'read' },
  /** Aggregates only. */
  reports: { table: 'read' },
  /** Working-day calendar years. */
  admin: { table: 'readWrite' },
  /** A parent's drafts: the form payload is field-encrypted as a whole. */
  drafts: { table: 'readWrite', fieldKey: 'decrypt' },
  /** Progress without sign-in: reads the case (its number is encrypted), codes, counters, one SMS. */
  progress: { table: 'readWrite', fieldKey: 'decrypt', sendSms: true },
  /** 好差评: ratings and follow-ups (reads the case, never an ID number or the form's contents). */
  ratings: { table: 'readWrite', fieldKey: 'decrypt' },
};

/** Kernel handlers above; a service module's function gets the access its module declares. */
export const httpAccess: Record<string, FunctionAccess | undefined> = {
  ...kernelHttpAccess,
  ...Object.fromEntries(modules.flatMap((m) => (m.http ? [[m.definition.id, m.http.access]] : []))),
};

/**
 * API Gateway waits at most 30 s; handlers answer in well under a second. 1,024 MB: Lambda's CPU
 * share grows with memory, and a cold start at 512 MB took twice as long (issue 18; measured with
 * the cold-start bench's COLD_MEMORY_MB, figures in docs/decisions.md) for cents per 1,000
 * applications (docs/deploy.md §9).
 */
export const httpSizing: FunctionSizing = { memorySize: 1024, timeoutSeconds: 10 };

export type StreamRecordFilter = 'event-inserts' | 'all';

export interface StreamConsumerSpec {
  access: FunctionAccess;
  /** Which stream records invoke the function: only new event items (the outbox), or all. */
  filter: StreamRecordFilter;
  batchSize: number;
  /** Attempts after the first failure before the batch goes to the on-failure queue. */
  retryAttempts: number;
  sizing: FunctionSizing;
}

/** One line per DynamoDB Streams consumer. */
export const streamConsumers: Record<StreamHandlerName, StreamConsumerSpec> = {
  notifier: {
    access: { table: 'readWrite', fieldKey: 'decrypt', sendMail: true, sendSms: true },
    filter: 'event-inserts',
    batchSize: 10,
    retryAttempts: 5,
    sizing: { memorySize: 256, timeoutSeconds: 60 },
  },
  /** Daily statistics (DDSketches, counters) for the auditor reports. */
  metrics: {
    access: { table: 'readWrite' },
    filter: 'event-inserts',
    batchSize: 100,
    retryAttempts: 5,
    sizing: { memorySize: 512, timeoutSeconds: 60 },
  },
};

export interface ScheduledJobSpec {
  /** An EventBridge schedule expression. */
  schedule: string;
  access: FunctionAccess;
  sizing: FunctionSizing;
  /** Settings from the stage configuration, as environment variables. */
  environment?: (config: StageConfig) => Record<string, string>;
}

const kernelJobs: Record<string, ScheduledJobSpec> = {
  /** Due timers (SLA warnings and breaches, offer expiry, waitlists, allocation rounds). */
  sweeper: {
    schedule: 'rate(1 minute)',
    // sends the e-mails and texts a crashed notifier claimed and never finished
    access: { table: 'readWrite', fieldKey: 'decrypt', sendMail: true, sendSms: true },
    sizing: { memorySize: 512, timeoutSeconds: 55 },
  },
};

/** The kernel's jobs and every module's (ServiceModule.jobs). */
export const scheduledJobs: Record<ScheduledHandlerName, ScheduledJobSpec> = {
  ...kernelJobs,
  ...Object.fromEntries(
    modules.flatMap((m) =>
      (m.jobs ?? []).map((job): [string, ScheduledJobSpec] => [
        job.name,
        {
          schedule: job.schedule,
          access: job.access,
          sizing: job.sizing,
          ...(job.environment
            ? { environment: (config: StageConfig) => job.environment?.({ ...config }) ?? {} }
            : {}),
        },
      ]),
    ),
  ),
};
