/**
 * The one way to make a Lambda function here: NodejsFunction with the project's defaults
 * (ARM64, Node.js 24, minified ESM bundle with source maps, own log group with retention, own
 * role with no managed policies) and explicit least-privilege grants from a FunctionAccess.
 */
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, type IManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { tableSchema } from '../../functions/adapters/dynamodb/table-schema.ts';
import type { StageConfig } from '../config/stage-config.ts';
import type { FunctionAccess, FunctionSizing } from '../function-catalog.ts';
import { bundleOptions, repoRoot } from './bundling.ts';

export const lambdaRuntime = Runtime.NODEJS_24_X;
export const lambdaArchitecture = Architecture.ARM_64;

/** Everything a function may be granted; built by the stateful stack. */
export interface FunctionResources {
  table: ITable;
  fieldKey: IKey;
  documents: { bucket: IBucket; access: Record<NonNullable<FunctionAccess['documents']>, IManagedPolicy> };
  mail: { from: string; configurationSetName: string };
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
  readonly fn: NodejsFunction;
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

    this.fn = new NodejsFunction(this, 'Fn', {
      entry: join(repoRoot, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: lambdaRuntime,
      architecture: lambdaArchitecture,
      memorySize: props.sizing.memorySize,
      timeout: Duration.seconds(props.sizing.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      environment: this.environment(props),
      bundling: {
        minify: bundleOptions.minify,
        sourceMap: bundleOptions.sourceMap,
        sourcesContent: bundleOptions.sourcesContent,
        format: OutputFormat.ESM,
        target: bundleOptions.target,
        mainFields: [...bundleOptions.mainFields],
        externalModules: [...bundleOptions.external],
        banner: bundleOptions.banner,
      },
    });

    this.grantTable(resources.table, access.table);
    if (access.fieldKey) this.grantFieldKey(resources.fieldKey, access.fieldKey);
    // Presigned URLs act with the signer's rights: object GET (and PUT), nothing on the bucket.
    if (access.documents) this.role.addManagedPolicy(resources.documents.access[access.documents]);
    if (access.sendMail) this.grantSendMail(resources.mail);
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
      ...(access.sendMail
        ? { MAIL_FROM: resources.mail.from, SES_CONFIGURATION_SET: resources.mail.configurationSetName }
        : {}),
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
        StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` },
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

  /** SendEmail only from the configured sender, only through the configuration set. */
  private grantSendMail(mail: FunctionResources['mail']) {
    const stack = Stack.of(this);
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
