/**
 * The one way to make a Lambda function here: a Lambda function with the project's defaults
 * (ARM64, Node.js 24 unless the stage says otherwise, minified ESM bundle split where the code
 * imports dynamically, with source maps (bundling.ts), own
 * log group with retention, own role with no managed policies) and explicit least-privilege
 * grants from a FunctionAccess. Partition-aware: ARNs come from CDK, endpoint names from the
 * region's DNS suffix.
 */
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, type IManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { tableSchema } from '../../functions/adapters/dynamodb/table-schema.ts';
import { viaService } from '../config/partition.ts';
import type { StageConfig } from '../config/stage-config.ts';
import type { FunctionAccess, FunctionSizing } from '../function-catalog.ts';
import { bundleOptions, esbuildOptions, repoRoot, shippedModules } from './bundling.ts';

export const lambdaRuntime = Runtime.NODEJS_24_X;
export const lambdaArchitecture = Architecture.ARM_64;

const runtimes = { 'nodejs24.x': Runtime.NODEJS_24_X, 'nodejs22.x': Runtime.NODEJS_22_X } as const;
const architectures = { arm64: Architecture.ARM_64, x86_64: Architecture.X86_64 } as const;

/** How a function sends mail: SES (global stages) or the SMTP relay (China stage). */
export type MailResources =
  | { transport: 'ses'; from: string; configurationSetName: string }
  | {
      transport: 'smtp';
      from: string;
      host: string;
      port: number;
      tls: 'implicit' | 'starttls';
      /** `{ username, password }` of the relay account */
      credentials: ISecret;
    };

/** How a function sends text messages: AWS End User Messaging SMS, or Alibaba Cloud SMS (China). */
export type SmsResources =
  | {
      provider: 'aws';
      /** the ARN of the one sender ID, phone number or pool texts go from */
      originationArn: string;
      configurationSetName: string;
      configurationSetArn: string;
      dailyCap: number;
      maxPriceUsd?: string | undefined;
    }
  | {
      provider: 'aliyun';
      endpoint: string;
      region: string;
      signName: string;
      templates: { status: string; code: string };
      /** `{ accessKeyId, accessKeySecret }` of a RAM user allowed SendSms only */
      credentials: ISecret;
      dailyCap: number;
    };

/** Everything a function may be granted; built by the stateful stack. */
export interface FunctionResources {
  table: ITable;
  fieldKey: IKey;
  documents: { bucket: IBucket; access: Record<NonNullable<FunctionAccess['documents']>, IManagedPolicy> };
  mail: MailResources;
  /** End User Messaging SMS: the one origination identity and the configuration set; none: no SMS */
  sms?: SmsResources | undefined;
  /** Origin of the console, for CORS and links in e-mails. */
  consoleOrigin: string;
}

export interface OnestopFunctionProps {
  /** Repository-relative entry, e.g. `functions/http/health.ts`; it exports `handler`. */
  entry: string;
  description: string;
  config: StageConfig;
  resources: FunctionResources;
  access: FunctionAccess;
  sizing: FunctionSizing;
  /** Variables for this kind of function only (e.g. the token issuers for HTTP handlers). */
  environment?: Record<string, string>;
}

export class OnestopFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: OnestopFunctionProps) {
    super(scope, id);
    const { config, resources, access } = props;

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: config.logRetentionDays as RetentionDays,
      removalPolicy: config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Onestop ${config.stage}: ${props.description}`,
    });
    this.allow(['logs:CreateLogStream', 'logs:PutLogEvents'], [this.logGroup.logGroupArn]);

    const runtime = runtimes[config.lambda.runtime];
    // SMTP stages ship the mailer's package beside the bundle (kept external: bundling.ts)
    const shipped = access.sendMail && resources.mail.transport === 'smtp' ? shippedModules.smtp : [];
    const target =
      runtime === lambdaRuntime ? bundleOptions.target : `node${config.lambda.runtime.slice(6, 8)}`;
    this.fn = new LambdaFunction(this, 'Fn', {
      code: bundledCode(props.entry, target, shipped),
      handler: 'index.handler',
      description: props.description,
      runtime,
      architecture: architectures[config.lambda.architecture],
      memorySize: props.sizing.memorySize,
      timeout: Duration.seconds(props.sizing.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      environment: this.environment(props),
    });

    this.grantTable(resources.table, access.table);
    if (access.fieldKey) this.grantFieldKey(resources.fieldKey, access.fieldKey);
    // Presigned URLs act with the signer's rights: object GET (and PUT), nothing on the bucket.
    if (access.documents) this.role.addManagedPolicy(resources.documents.access[access.documents]);
    if (access.sendMail) this.grantSendMail(resources.mail);
    // SendTextMessage from the ONE origination identity, through the stack's configuration set;
    // Alibaba Cloud SMS: read the ONE secret holding its AccessKey (its key via Secrets Manager)
    if (access.sendSms && resources.sms?.provider === 'aws') {
      this.allow(
        ['sms-voice:SendTextMessage'],
        [resources.sms.originationArn, resources.sms.configurationSetArn],
      );
    }
    if (access.sendSms && resources.sms?.provider === 'aliyun')
      this.grantReadSecret(resources.sms.credentials);
  }

  private environment({
    config,
    resources,
    access,
    environment,
  }: OnestopFunctionProps): Record<string, string> {
    return {
      ...environment,
      STAGE: config.stage,
      LOG_LEVEL: config.logLevel,
      TABLE_NAME: resources.table.tableName,
      KMS_KEY_ID: resources.fieldKey.keyArn,
      ...(access.fieldKey && config.fieldKeysCiphertext
        ? { FIELD_KEYS_CIPHERTEXT: config.fieldKeysCiphertext }
        : {}),
      CONSOLE_ORIGIN: resources.consoleOrigin,
      NODE_OPTIONS: '--enable-source-maps',
      ...(access.documents ? { DOCUMENTS_BUCKET: resources.documents.bucket.bucketName } : {}),
      ...(access.sendMail ? mailEnvironment(resources.mail) : {}),
      ...(access.sendSms ? smsEnvironment(resources.sms) : {}),
    };
  }

  private allow(
    actions: string[],
    resources: string[],
    conditions?: Record<string, Record<string, unknown>>,
  ) {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions,
        resources,
        ...(conditions ? { conditions } : {}),
      }),
    );
  }

  /** The table and its named GSIs, listed one by one (no `index/*`), and its KMS key via DynamoDB only. */
  private grantTable(table: ITable, level: FunctionAccess['table']) {
    if (level === 'none') return;
    const arns = [table.tableArn, ...tableSchema.indexes.map((ix) => `${table.tableArn}/index/${ix.name}`)];
    const read = [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:ConditionCheckItem',
    ];
    const write = [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ];
    this.allow(level === 'read' ? read : [...read, ...write], arns);
    if (table.encryptionKey) {
      const viaDynamo = {
        StringEquals: {
          'kms:ViaService': viaService('dynamodb', Stack.of(this).region),
        },
      };
      const keyActions =
        level === 'read'
          ? ['kms:Decrypt', 'kms:DescribeKey']
          : ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'];
      this.allow(keyActions, [table.encryptionKey.keyArn], viaDynamo);
    }
  }

  private grantFieldKey(key: IKey, mode: NonNullable<FunctionAccess['fieldKey']>) {
    this.allow(mode === 'decrypt' ? ['kms:Decrypt'] : ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], [
      key.keyArn,
    ]);
  }

  /** GetSecretValue on this one secret, and its key's Decrypt through Secrets Manager only. */
  private grantReadSecret(secret: ISecret) {
    this.allow(['secretsmanager:GetSecretValue'], [secret.secretArn]);
    if (secret.encryptionKey) {
      this.allow(['kms:Decrypt'], [secret.encryptionKey.keyArn], {
        StringEquals: { 'kms:ViaService': viaService('secretsmanager', Stack.of(this).region) },
      });
    }
  }

  /**
   * SES: SendEmail only from the configured sender, only through the configuration set.
   * SMTP: read the relay account's secret, and nothing else (its key via Secrets Manager only).
   */
  private grantSendMail(mail: MailResources) {
    const stack = Stack.of(this);
    if (mail.transport === 'smtp') {
      this.grantReadSecret(mail.credentials);
      return;
    }
    const domain = mail.from.split('@')[1] ?? mail.from;
    const arn = (resource: string, resourceName: string) =>
      stack.formatArn({ service: 'ses', resource, resourceName });
    this.allow(
      ['ses:SendEmail'],
      [
        arn('identity', domain),
        arn('identity', mail.from),
        arn('configuration-set', mail.configurationSetName),
      ],
      { StringEquals: { 'ses:FromAddress': mail.from } },
    );
  }
}

/**
 * The function's asset: esbuild run in this process (bundling.ts's options; esbuild is a
 * dependency of the project, so no Docker), hashed by its output as NodejsFunction does. When
 * synthesis skips bundling (`-c bundling=false`, the infra tests) CDK never calls it.
 */
export function bundledCode(entry: string, target: string, shipped: readonly string[]): Code {
  return Code.fromAsset(repoRoot, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // never pulled: local bundling always succeeds or throws
      image: DockerImage.fromRegistry('dummy'),
      // Never run either, but part of CDK's bundling cache key (the `local` function is not):
      // without it every function of a stack would get the first one's bundle.
      command: ['esbuild', entry, `--target=${target}`, ...shipped.map((name) => `--ship=${name}`)],
      local: {
        tryBundle(outputDir: string) {
          buildSync(esbuildOptions(entry, outputDir, target));
          // SMTP stages ship the mailer's package beside the bundle, as installed (locked
          // versions, no network); each has no dependencies (the bundle-size test checks)
          for (const name of shipped) {
            mkdirSync(join(outputDir, 'node_modules'), { recursive: true });
            cpSync(join(repoRoot, 'node_modules', name), join(outputDir, 'node_modules', name), {
              recursive: true,
            });
          }
          return true;
        },
      },
    },
  });
}

function smsEnvironment(sms: SmsResources | undefined): Record<string, string> {
  if (!sms) return { SMS_TRANSPORT: 'off' };
  if (sms.provider === 'aliyun')
    return {
      SMS_TRANSPORT: 'aliyun',
      ALIYUN_SMS_ENDPOINT: sms.endpoint,
      ALIYUN_SMS_REGION: sms.region,
      ALIYUN_SMS_SIGN_NAME: sms.signName,
      ALIYUN_SMS_STATUS_TEMPLATE: sms.templates.status,
      ALIYUN_SMS_CODE_TEMPLATE: sms.templates.code,
      ALIYUN_SMS_SECRET_ARN: sms.credentials.secretArn,
      SMS_DAILY_CAP: String(sms.dailyCap),
    };
  return {
    SMS_TRANSPORT: 'aws',
    SMS_ORIGINATION_ARN: sms.originationArn,
    SMS_CONFIGURATION_SET: sms.configurationSetName,
    SMS_DAILY_CAP: String(sms.dailyCap),
    ...(sms.maxPriceUsd ? { SMS_MAX_PRICE: sms.maxPriceUsd } : {}),
  };
}

function mailEnvironment(mail: MailResources): Record<string, string> {
  if (mail.transport === 'ses')
    return { MAIL_FROM: mail.from, SES_CONFIGURATION_SET: mail.configurationSetName };
  return {
    MAIL_FROM: mail.from,
    MAIL_TRANSPORT: 'smtp',
    SMTP_HOST: mail.host,
    SMTP_PORT: String(mail.port),
    SMTP_TLS: mail.tls,
    SMTP_SECRET_ARN: mail.credentials.secretArn,
  };
}
