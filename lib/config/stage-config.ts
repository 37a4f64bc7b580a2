/**
 * Typed stage configuration (dev, prod, cn), parsed with zod. `-c stage=dev|prod|cn` picks the
 * stage (default dev); a few values can be overridden from context for one deployment
 * (`-c account=… -c region=… -c mailFrom=… -c alarmEmail=… -c cognitoMailViaSes=true
 * -c consoleDomain=… -c consoleCertificateArn=… (China: -c consoleIamCertificateId=…)
 * -c documentRetentionDays=…`).
 * dev and prod deploy to a global region with Cognito and SES; cn deploys to the aws-cn
 * partition (Ningxia, or Beijing with `-c region=cn-north-1`), where neither exists: its APIs
 * trust OIDC providers named here, it mails through an SMTP relay and texts through Alibaba Cloud
 * SMS's registered templates (docs/deploy.md, China).
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

export const stageNames = ['dev', 'prod', 'cn'] as const;
export type StageName = (typeof stageNames)[number];

const httpsUrl = z.url({ protocol: /^https$/, hostname: z.regexes.domain });

/**
 * An OIDC provider whose tokens one API accepts (its HTTP API JWT authorizer): the issuer (`iss`,
 * whose /.well-known/openid-configuration names the keys), the audiences (`aud`, or `client_id`
 * when a token has no `aud`), and what the console needs to sign in with it.
 */
const oidcProviderSchema = z
  .object({
    issuer: httpsUrl,
    audiences: z.array(z.string().min(1)).min(1),
    /** the console's public client (authorization code with PKCE) */
    clientId: z.string().min(1),
    scopes: z.array(z.string().min(1)).default(['openid', 'profile']),
  })
  .strict();
export type OidcProvider = z.infer<typeof oidcProviderSchema>;

/**
 * Who signs citizens and staff in. `cognito` (global regions): the stack's two user pools.
 * `oidc`: external providers, e.g. the province's unified identity (浙里办 / 浙江政务服务网统一身份认证)
 * for citizens and the government staff identity (浙政钉) for staff; the staff token names the
 * role, agency and township in the claims given under `claims`.
 */
const identitySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cognito') }).strict(),
  z
    .object({
      kind: z.literal('oidc'),
      citizens: oidcProviderSchema,
      staff: oidcProviderSchema,
      claims: z
        .object({
          role: z.string().min(1).default('roles'),
          agency: z.string().min(1).default('agency'),
          township: z.string().min(1).default('township'),
        })
        .strict()
        .default({ role: 'roles', agency: 'agency', township: 'township' }),
    })
    .strict(),
]);

/**
 * How notifications leave. `ses` (global regions): the stack's SES identity and configuration set.
 * `smtp`: a mail relay (the government's, in the China stage); its credentials live in a
 * Secrets Manager secret the stateful stack makes (docs/deploy.md).
 */
const mailSchema = z.discriminatedUnion('transport', [
  z.object({ transport: z.literal('ses') }).strict(),
  z
    .object({
      transport: z.literal('smtp'),
      host: z.string().regex(/^[a-z0-9.-]+$/, 'a host name'),
      port: z.number().int().min(1).max(65535),
      /** implicit TLS (465) or a required STARTTLS upgrade (587); never clear text in AWS */
      tls: z.enum(['implicit', 'starttls']),
    })
    .strict(),
]);

/**
 * Text messages through AWS End User Messaging SMS (absent: no SMS; deliveries recorded as
 * skipped). The notifier may send from this ONE origination identity only, registered
 * beforehand (docs/deploy.md); `dailyCap` is enforced in code (texts per China day, all cases
 * together), and alarms fire near it and at the month's spend.
 */
const awsSmsSchema = z
  .object({
    provider: z.literal('aws').optional(),
    origination: z.discriminatedUnion('type', [
      z
        .object({
          type: z.literal('sender-id'),
          senderId: z.string().regex(/^[A-Za-z0-9-]{1,11}$/, 'a sender ID: up to 11 letters or digits'),
          country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 country code'),
        })
        .strict(),
      z.object({ type: z.literal('phone-number'), id: z.string().regex(/^phone-[a-z0-9]+$/) }).strict(),
      z.object({ type: z.literal('pool'), id: z.string().regex(/^pool-[a-z0-9]+$/) }).strict(),
    ]),
    dailyCap: z.number().int().min(1).max(1_000_000),
    /** the spend alarm's threshold: USD spent on texts this month */
    monthlySpendAlarmUsd: z.number().positive(),
    /** SendTextMessage's MaxPrice per message part (USD), a second guard */
    maxPriceUsd: z
      .string()
      .regex(/^\d{1,2}\.\d{1,5}$/, 'a price such as 0.05')
      .optional(),
  })
  .strict();

/**
 * Text messages through Alibaba Cloud SMS (阿里云短信服务), the China stage's domestic provider:
 * only templates registered under a registered signature (签名) are sent; `templates.status` is
 * the notification template (variables service, number, status), `templates.code` the progress
 * lookup's verification-code template (variable code); their texts are in docs/deploy.md. The
 * AccessKey pair lives in the Secrets Manager secret `secretName`, which the stateful stack makes
 * and the operator fills. `dailyCap` as for AWS; the provider's own billing alerts guard spend.
 */
const aliyunSmsSchema = z
  .object({
    provider: z.literal('aliyun'),
    endpoint: httpsUrl.default('https://dysmsapi.aliyuncs.com'),
    /** the API's RegionId (the SMS service itself is national) */
    region: z
      .string()
      .regex(/^cn-[a-z]+$/, 'an Alibaba Cloud region such as cn-hangzhou')
      .default('cn-hangzhou'),
    signName: z.string().min(2).max(12),
    templates: z
      .object({
        status: z.string().regex(/^SMS_\d+$/, 'a template code such as SMS_123456789'),
        code: z.string().regex(/^SMS_\d+$/, 'a template code such as SMS_123456789'),
      })
      .strict(),
    secretName: z.string().regex(/^[A-Za-z0-9/_+=.@-]{1,256}$/, 'a Secrets Manager secret name'),
    dailyCap: z.number().int().min(1).max(1_000_000),
  })
  .strict();

const smsSchema = z.union([awsSmsSchema, aliyunSmsSchema]);
export type SmsConfig = z.infer<typeof smsSchema>;
export type AwsSmsConfig = z.infer<typeof awsSmsSchema>;
export type AliyunSmsConfig = z.infer<typeof aliyunSmsSchema>;

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
    mail: mailSchema.default({ transport: 'ses' }),
    sms: smsSchema.optional(),
    identity: identitySchema.default({ kind: 'cognito' }),
    /**
     * Lambda instruction set and Node.js runtime, as the region offers them (docs/deploy.md);
     * the bundles target the runtime's Node.js major.
     */
    lambda: z
      .object({
        architecture: z.enum(['arm64', 'x86_64']),
        runtime: z.enum(['nodejs24.x', 'nodejs22.x']),
      })
      .strict()
      .default({ architecture: 'arm64', runtime: 'nodejs24.x' }),
    /**
     * Console on a custom domain. Global regions: an ACM certificate in us-east-1 (CloudFront).
     * China regions: CloudFront there has no ACM; the certificate, bought from a CA, is uploaded
     * to the IAM certificate store and named by its server certificate id (`ASCA…`); the domain
     * needs an ICP recordal (docs/deploy.md).
     */
    consoleDomain: z
      .object({
        name: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'a DNS name'),
        certificateArn: z
          .string()
          .startsWith('arn:aws:acm:us-east-1:', 'CloudFront needs a us-east-1 certificate')
          .optional(),
        iamCertificateId: z
          .string()
          .regex(/^[A-Z0-9]{16,32}$/, 'an IAM server certificate id (ASCA…)')
          .optional(),
      })
      .strict()
      .refine((d) => (d.certificateArn === undefined) !== (d.iamCertificateId === undefined), {
        message:
          'give the certificate either as an ACM ARN (global regions) or an IAM certificate id (China)',
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
  .strict()
  .superRefine((config, ctx) => {
    if (!isChinaRegion(config.region)) {
      if (config.consoleDomain?.iamCertificateId)
        ctx.addIssue({
          code: 'custom',
          path: ['consoleDomain', 'iamCertificateId'],
          message:
            'outside China the console certificate is an ACM certificate in us-east-1 (consoleCertificateArn)',
        });
      return;
    }
    if (config.consoleDomain?.certificateArn)
      ctx.addIssue({
        code: 'custom',
        path: ['consoleDomain', 'certificateArn'],
        message:
          'CloudFront in the China regions does not use ACM: upload the certificate to IAM and give consoleIamCertificateId',
      });
    // What the aws-cn partition does not offer (docs/deploy.md, China regions).
    if (config.identity.kind === 'cognito')
      ctx.addIssue({
        code: 'custom',
        path: ['identity'],
        message: 'Cognito user pools do not exist in the China regions: use identity kind oidc',
      });
    if (config.mail.transport === 'ses')
      ctx.addIssue({
        code: 'custom',
        path: ['mail'],
        message: 'SES does not exist in the China regions: use mail transport smtp',
      });
    if (config.sms && config.sms.provider !== 'aliyun')
      ctx.addIssue({
        code: 'custom',
        path: ['sms'],
        message:
          'AWS End User Messaging SMS does not exist in the China regions: use sms provider aliyun, or leave sms unset',
      });
    if (config.cognitoMailViaSes)
      ctx.addIssue({ code: 'custom', path: ['cognitoMailViaSes'], message: 'no Cognito nor SES in China' });
  });

export type StageConfig = z.infer<typeof stageConfigSchema>;

/** Beijing (cn-north-1) and Ningxia (cn-northwest-1): the aws-cn partition. */
export function isChinaRegion(region: string): boolean {
  return region.startsWith('cn-');
}
type StageDefaults = z.input<typeof stageConfigSchema>;

export const stageDefaults: Record<StageName, StageDefaults> = {
  dev: {
    stage: 'dev',
    mailFrom: 'no-reply@dev.onestop.example.com',
    sms: {
      origination: { type: 'sender-id', senderId: 'ONESTOP', country: 'CN' },
      dailyCap: 200,
      monthlySpendAlarmUsd: 20,
    },
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
    sms: {
      origination: { type: 'sender-id', senderId: 'ONESTOP', country: 'CN' },
      dailyCap: 5000,
      monthlySpendAlarmUsd: 500,
      maxPriceUsd: '0.10',
    },
    logRetentionDays: 365,
    logLevel: 'info',
    removalPolicy: 'retain',
    throttle: { rateLimit: 200, burstLimit: 400 },
    documentVersionRetentionDays: 365,
    documentRetentionDays: 1095,
    accessLogRetentionDays: 365,
  },
  /**
   * A Zhejiang city's deployment inside the PRC (PIPL Art. 36): Ningxia by default. The issuers,
   * client ids and relay are placeholders a city replaces with the ones its providers register
   * (docs/deploy.md, China regions).
   */
  cn: {
    stage: 'cn',
    region: 'cn-northwest-1',
    mailFrom: 'no-reply@onestop.example.gov.cn',
    mail: { transport: 'smtp', host: 'smtp.mail.example.gov.cn', port: 465, tls: 'implicit' },
    identity: {
      kind: 'oidc',
      citizens: {
        issuer: 'https://citizen-idp.example.gov.cn',
        audiences: ['onestop-citizen-console'],
        clientId: 'onestop-citizen-console',
      },
      staff: {
        issuer: 'https://staff-idp.example.gov.cn',
        audiences: ['onestop-staff-console'],
        clientId: 'onestop-staff-console',
      },
    },
    // the signature and template codes are placeholders until the city's are approved
    sms: {
      provider: 'aliyun',
      signName: '乐清Onestop',
      templates: { status: 'SMS_000000001', code: 'SMS_000000002' },
      secretName: 'onestop/cn/aliyun-sms',
      dailyCap: 5000,
    },
    lambda: { architecture: 'arm64', runtime: 'nodejs24.x' },
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

const list = (value: string) =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/**
 * The OIDC providers, the relay and the Lambda platform for one deployment of the cn stage:
 * `-c citizenIssuer=… -c citizenAudiences=a,b -c citizenClientId=…` (and `staff…`),
 * `-c smtpHost=… -c smtpPort=… -c smtpTls=implicit|starttls`,
 * `-c smsSignName=… -c smsStatusTemplate=SMS_… -c smsCodeTemplate=SMS_… -c smsSecretName=…`,
 * `-c lambdaArchitecture=arm64|x86_64 -c lambdaRuntime=nodejs24.x|nodejs22.x`.
 */
function applyChinaOverrides(
  read: ContextReader,
  defaults: StageDefaults,
  overrides: Partial<StageDefaults>,
) {
  const identity = defaults.identity;
  if (identity?.kind === 'oidc') {
    const provider = (who: 'citizen' | 'staff', base: z.input<typeof oidcProviderSchema>) => {
      const issuer = optionalString(read, `${who}Issuer`);
      const audiences = optionalString(read, `${who}Audiences`);
      const clientId = optionalString(read, `${who}ClientId`);
      return {
        ...base,
        ...(issuer ? { issuer } : {}),
        ...(audiences ? { audiences: list(audiences) } : {}),
        ...(clientId ? { clientId } : {}),
      };
    };
    overrides.identity = {
      ...identity,
      citizens: provider('citizen', identity.citizens),
      staff: provider('staff', identity.staff),
    };
  }
  const mail = defaults.mail;
  if (mail?.transport === 'smtp') {
    const host = optionalString(read, 'smtpHost');
    const port = optionalString(read, 'smtpPort');
    const tls = optionalString(read, 'smtpTls');
    overrides.mail = {
      ...mail,
      ...(host ? { host } : {}),
      ...(port ? { port: Number(port) } : {}),
      ...(tls ? { tls: tls as 'implicit' } : {}),
    };
  }
  const sms = defaults.sms;
  // not when `-c sms=off` took texts away
  if (sms?.provider === 'aliyun' && !('sms' in overrides)) {
    const signName = optionalString(read, 'smsSignName');
    const status = optionalString(read, 'smsStatusTemplate');
    const code = optionalString(read, 'smsCodeTemplate');
    const secretName = optionalString(read, 'smsSecretName');
    overrides.sms = {
      ...sms,
      ...(signName ? { signName } : {}),
      templates: { ...sms.templates, ...(status ? { status } : {}), ...(code ? { code } : {}) },
      ...(secretName ? { secretName } : {}),
    };
  }
  const architecture = optionalString(read, 'lambdaArchitecture');
  const runtime = optionalString(read, 'lambdaRuntime');
  if (architecture || runtime) {
    const base = defaults.lambda ?? { architecture: 'arm64', runtime: 'nodejs24.x' };
    overrides.lambda = {
      architecture: (architecture ?? base.architecture) as 'arm64',
      runtime: (runtime ?? base.runtime) as 'nodejs24.x',
    };
  }
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
  const consoleIamCert = optionalString(read, 'consoleIamCertificateId');
  const overrides: Partial<StageDefaults> = {};
  for (const key of ['account', 'region', 'mailFrom', 'alarmEmail', 'fieldKeysCiphertext'] as const) {
    const value = optionalString(read, key);
    if (value !== undefined) overrides[key] = value;
  }
  const retention = optionalString(read, 'documentRetentionDays');
  if (retention !== undefined) overrides.documentRetentionDays = Number(retention);
  const viaSes = optionalString(read, 'cognitoMailViaSes');
  if (viaSes !== undefined) overrides.cognitoMailViaSes = viaSes === 'true';
  // `-c sms=off`: a stage without text messages (e.g. before its sender is registered)
  if (optionalString(read, 'sms') === 'off') overrides.sms = undefined;
  applyChinaOverrides(read, stageDefaults[parsedStage.data], overrides);
  if (consoleName !== undefined || consoleCert !== undefined || consoleIamCert !== undefined) {
    overrides.consoleDomain = {
      name: consoleName ?? '',
      ...(consoleCert !== undefined ? { certificateArn: consoleCert } : {}),
      ...(consoleIamCert !== undefined ? { iamCertificateId: consoleIamCert } : {}),
    };
  }
  const result = stageConfigSchema.safeParse({ ...stageDefaults[parsedStage.data], ...overrides });
  if (!result.success) {
    throw new Error(`Invalid configuration for stage ${stage}:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}
