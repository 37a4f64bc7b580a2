/**
 * A service module: everything one service adds to the kernel, in one folder
 * (functions/services/<id>/) and one line of the registry (functions/services/registry.ts).
 * Plain data and pure functions only: the route list, the CDK function catalogue, the local
 * runtime and the console are derived from it, so a module never imports its HTTP handler or its
 * store here (that would pull the AWS SDK into every bundle).
 */
import type { Application, DomainEvent, MailLine, ServiceDefinition } from './engine/types.ts';
import type { Agency } from './reference/leqing.ts';

export type { Agency };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What a Lambda function may touch (least privilege, applied by the CDK). */
export interface FunctionAccess {
  /** The single table (with its GSIs). */
  table: 'none' | 'read' | 'readWrite';
  /** The KMS key for field-level encryption of ID numbers (envelope encryption). */
  fieldKey?: 'encryptDecrypt' | 'decrypt';
  /** The documents bucket: presigned GET, presigned GET and PUT, or GET and DELETE (retention). */
  documents?: 'read' | 'readPut' | 'readDelete';
  /** ses:SendEmail from the configured sender through the configuration set. */
  sendMail?: boolean;
  /**
   * sms-voice:SendTextMessage from the one configured origination identity (when configured), or
   * in the China stage read access to the one Alibaba Cloud SMS AccessKey secret
   */
  sendSms?: boolean;
}

export interface FunctionSizing {
  memorySize: number;
  timeoutSeconds: number;
}

/** A scheduled job of a module: `functions/services/<id>/<entry>.ts` exports `handler`. */
export interface ModuleJob {
  /** unique across modules, e.g. `retention` */
  name: string;
  /** file name in the module folder, without `.ts` */
  entry: string;
  /** An EventBridge schedule expression (AWS). */
  schedule: string;
  /** How often the local runtime runs it (ms), unless the environment variable below says. */
  localIntervalMs: number;
  localIntervalEnv?: string;
  access: FunctionAccess;
  sizing: FunctionSizing;
  /** Settings from the stage configuration (by name), as environment variables. */
  environment?: (config: Record<string, unknown>) => Record<string, string>;
}

/** A demo user of the local dev identity provider (never deployed). */
export interface DemoUser {
  sub: string;
  role: 'parent' | 'caseworker' | 'auditor' | 'admin' | 'agent';
  agency?: string;
  township?: string;
  name?: string;
  email?: string;
}

/** A service's own mail lines (zh-CN, en) for an event; undefined falls back to the generic texts. */
export type ServiceMail = (event: DomainEvent, app: Application) => [MailLine, MailLine] | undefined;

export interface ServiceModule {
  definition: ServiceDefinition;
  /** The module's folder, relative to the repository (default `functions/services/<id>`). */
  folder?: string;
  /**
   * Extra routes, served by `functions/services/<id>/http.ts` (one Lambda function): its route
   * table (`httpModule({ 'GET /path': route({ summary, auth, … }) })`) is the one declaration of
   * each route; the API's route list reads it. `access` is what that function may touch.
   */
  http?: { access: FunctionAccess };
  jobs?: ModuleJob[];
  /**
   * The module has its own e-mail lines for some events: `mail.ts` in its folder exports
   * `mail: ServiceMail` (loaded by the notifier only, so no HTTP function bundles it).
   */
  mail?: boolean;
  /**
   * The module's own event types that are news to the family (e.g. a claim approved): the
   * notifier sends them through the same outbox as the kernel's, with the lines of `mail.ts`.
   */
  mailEvents?: readonly string[];
  /**
   * The module feeds some of the plan's indicators (issue 17): `indicators.ts` in its folder
   * exports `indicators: ModuleIndicators` (functions/core/indicators/catalogue.ts): their
   * definitions and a loader of the year's facts (loaded by the reports function only).
   */
  indicators?: boolean;
  /** Agencies (or organisation kinds) the service's steps are decided by. */
  agencies?: Agency[];
  /** Local runtime only: demo users, and reference data loaded at start (through the API). */
  local?: {
    demoUsers?: DemoUser[];
    /** `POST` this path as an admin at start to seed reference data (idempotent). */
    seedPath?: string;
    /**
     * A file of the module folder (without `.ts`) exporting `seedDemo(baseUrl, log)`: demo cases
     * submitted through the API when `ONESTOP_DEMO=1`.
     */
    demo?: string;
  };
}

/** Where a module's files live, relative to the repository. */
export const moduleFolder = (m: ServiceModule): string => m.folder ?? `functions/services/${m.definition.id}`;
