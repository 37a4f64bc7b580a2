/**
 * Typed stage configuration (dev, prod), parsed with zod. `-c stage=dev|prod` picks the stage
 * (default dev); a few values can be overridden from context for one deployment
 * (`-c account=… -c region=… -c mailFrom=… -c alarmEmail=… -c cognitoMailViaSes=true
 * -c consoleDomain=… -c consoleCertificateArn=… -c documentRetentionDays=…`).
 */
import * as z from 'zod';

/** CloudWatch Logs accepts only these retention periods (days). */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827] as const;

const retentionDays = z
  .number()
  .int()
  .refine((d) => (RETENTION_DAYS as readonly number[]).includes(d), {
    message: `log retention must be one of ${RETENTION_DAYS.join(', ')} days`,
  });

export const stageNames = ['dev', 'prod'] as const;
export type StageName = (typeof stageNames)[number];

export const stageConfigSchema = z
  .object({
    stage: z.enum(stageNames),
    /** 12-digit account id; when absent the CLI's CDK_DEFAULT_ACCOUNT is used (or none: env-agnostic). */
    account: z
      .string()
      .regex(/^\d{12}$/, 'an AWS account id has 12 digits')
      .optional(),
    /**
     * One region for everything. Default ap-southeast-1 (Singapore): the nearest region to
     * Zhejiang that offers every service used here. ap-east-1 (Hong Kong) has no SES endpoint.
     */
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'a region looks like ap-southeast-1')
      .default('ap-southeast-1'),
    /** Sender of notifications; its domain is the SES identity to verify (docs/deploy.md). */
    mailFrom: z.email(),
    /** Console on a custom domain: the certificate must be in us-east-1 (CloudFront). */
    consoleDomain: z
      .object({
        name: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'a DNS name'),
        certificateArn: z
          .string()
          .startsWith('arn:aws:acm:us-east-1:', 'CloudFront needs a us-east-1 certificate'),
      })
      .optional(),
    logRetentionDays: retentionDays,
    logLevel: z.enum(['debug', 'info', 'warn', 'error']),
    /**
     * Applies to rebuildable resources (log groups, console bucket, queues, access-log bucket).
     * Data stores (table, documents, keys, user pools) are always retained.
     */
    removalPolicy: z.enum(['retain', 'destroy']),
    /** HTTP API default-stage throttling, per API. */
    throttle: z.object({ rateLimit: z.number().int().positive(), burstLimit: z.number().int().positive() }),
    /**
     * Cognito sends its own mail (codes, invitations) through SES once the sender's identity is
     * verified; before that, Cognito's built-in sender (50 mails a day) is used.
     */
    cognitoMailViaSes: z.boolean().default(false),
    /** Alarm notifications go to this address (an SNS e-mail subscription); optional. */
    alarmEmail: z.email().optional(),
    /** Noncurrent document versions are kept this long (days) before expiry. */
    documentVersionRetentionDays: z.number().int().positive(),
    /**
     * Files of closed cases (uploaded documents) are deleted this many days after the case
     * closed; their records stay, marked purged (the retention job of the modules that keep documents).
     */
    documentRetentionDays: z.number().int().min(1).max(3650),
    /** Access logs (S3, CloudFront) are kept this long (days). */
    accessLogRetentionDays: z.number().int().positive(),
    /**
     * Envelope keys for ID numbers: base64 KMS ciphertexts (under the field key) of the data and
     * blind-index keys, newest first, comma-separated (docs/security.md). Empty until made once
     * per stage after the first deploy; the functions refuse to handle ID numbers without it.
     */
    fieldKeysCiphertext: z
      .string()
      .regex(/^[A-Za-z0-9+/=,]*$/, 'base64 blobs separated by commas')
      .default(''),
  })
  .strict();

export type StageConfig = z.infer<typeof stageConfigSchema>;
type StageDefaults = z.input<typeof stageConfigSchema>;

export const stageDefaults: Record<StageName, StageDefaults> = {
  dev: {
    stage: 'dev',
    mailFrom: 'no-reply@dev.onestop.example.com',
    logRetentionDays: 14,
    logLevel: 'debug',
    removalPolicy: 'destroy',
    throttle: { rateLimit: 20, burstLimit: 40 },
    documentVersionRetentionDays: 30,
    documentRetentionDays: 90,
    accessLogRetentionDays: 30,
  },
  prod: {
    stage: 'prod',
    mailFrom: 'no-reply@onestop.example.com',
    logRetentionDays: 365,
    logLevel: 'info',
    removalPolicy: 'retain',
    throttle: { rateLimit: 200, burstLimit: 400 },
    documentVersionRetentionDays: 365,
    documentRetentionDays: 1095,
    accessLogRetentionDays: 365,
  },
};

/** Reads one context value; `-c key=value` always arrives as a string. */
export type ContextReader = (key: string) => unknown;

function optionalString(read: ContextReader, key: string): string | undefined {
  const value = read(key);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Picks the stage from context (`stage`, default dev), applies context overrides, validates. */
export function loadStageConfig(read: ContextReader): StageConfig {
  const stage = optionalString(read, 'stage') ?? 'dev';
  const parsedStage = z.enum(stageNames).safeParse(stage);
  if (!parsedStage.success) {
    throw new Error(`Unknown stage "${stage}": use -c stage=${stageNames.join('|')}`);
  }
  const consoleName = optionalString(read, 'consoleDomain');
  const consoleCert = optionalString(read, 'consoleCertificateArn');
  const overrides: Partial<StageDefaults> = {};
  for (const key of ['account', 'region', 'mailFrom', 'alarmEmail', 'fieldKeysCiphertext'] as const) {
    const value = optionalString(read, key);
    if (value !== undefined) overrides[key] = value;
  }
  const retention = optionalString(read, 'documentRetentionDays');
  if (retention !== undefined) overrides.documentRetentionDays = Number(retention);
  const viaSes = optionalString(read, 'cognitoMailViaSes');
  if (viaSes !== undefined) overrides.cognitoMailViaSes = viaSes === 'true';
  if (consoleName !== undefined || consoleCert !== undefined) {
    overrides.consoleDomain = { name: consoleName ?? '', certificateArn: consoleCert ?? '' };
  }
  const result = stageConfigSchema.safeParse({ ...stageDefaults[parsedStage.data], ...overrides });
  if (!result.success) {
    throw new Error(`Invalid configuration for stage ${stage}:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}
