/**
 * What each Lambda function may touch and how it runs. HTTP functions come from the route table
 * (functions/http/routes.ts): a new handler module deploys with `defaultHttpAccess` and needs no
 * edit here unless it needs more or less. Stream consumers and scheduled jobs are keyed by the
 * names in routes.ts, so adding one there without a line here fails to compile.
 */
import type { HandlerName, scheduledHandlers, streamHandlers } from '../functions/http/routes.ts';
import type { StageConfig } from './config/stage-config.ts';

export type StreamHandlerName = (typeof streamHandlers)[number];
export type ScheduledHandlerName = (typeof scheduledHandlers)[number];

/** Least-privilege grants, applied by OnestopFunction. */
export interface FunctionAccess {
  /** The single table (with its GSIs). */
  table: 'none' | 'read' | 'readWrite';
  /** The KMS key for field-level encryption of ID numbers (envelope encryption). */
  fieldKey?: 'encryptDecrypt' | 'decrypt';
  /** The documents bucket: presigned GET, presigned GET and PUT, or GET and DELETE (retention). */
  documents?: 'read' | 'readPut' | 'readDelete';
  /** ses:SendEmail from the configured sender through the configuration set. */
  sendMail?: boolean;
}

export interface FunctionSizing {
  memorySize: number;
  timeoutSeconds: number;
}

/**
 * Access for an HTTP handler module not listed below. Anything that reads or writes applications
 * decrypts the envelope keys of ID numbers once per cold start (kms:Decrypt only: the data key
 * itself encrypts and decrypts in memory).
 */
export const defaultHttpAccess: FunctionAccess = { table: 'readWrite', fieldKey: 'decrypt' };

export const httpAccess: Partial<Record<HandlerName, FunctionAccess>> = {
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
  /** Rehab aid: applications with ID numbers, documents (presigned PUT/GET), claims, settlement. */
  rehab: { table: 'readWrite', fieldKey: 'decrypt', documents: 'readPut' },
  /** A parent's drafts: the form payload is field-encrypted as a whole. */
  drafts: { table: 'readWrite', fieldKey: 'decrypt' },
};

/** API Gateway waits at most 30 s; handlers answer in well under a second. */
export const httpSizing: FunctionSizing = { memorySize: 512, timeoutSeconds: 10 };

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
    access: { table: 'readWrite', fieldKey: 'decrypt', sendMail: true },
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

export const scheduledJobs: Record<ScheduledHandlerName, ScheduledJobSpec> = {
  /** Due timers (SLA warnings and breaches, offer expiry, waitlists, allocation rounds). */
  sweeper: {
    schedule: 'rate(1 minute)',
    // sends the e-mails a crashed notifier claimed and never finished
    access: { table: 'readWrite', fieldKey: 'decrypt', sendMail: true },
    sizing: { memorySize: 512, timeoutSeconds: 55 },
  },
  /**
   * Document retention, daily at 02:30 China time: deletes the files of rehab cases closed more
   * than documentRetentionDays ago (records stay, marked purged). No ID numbers are read.
   */
  retention: {
    schedule: 'cron(30 18 * * ? *)',
    access: { table: 'readWrite', documents: 'readDelete' },
    sizing: { memorySize: 256, timeoutSeconds: 300 },
    environment: (config) => ({ DOCUMENT_RETENTION_DAYS: String(config.documentRetentionDays) }),
  },
};
