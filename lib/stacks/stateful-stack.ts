/**
 * Everything that holds data and must outlive any redeploy: the single table (built from
 * functions/adapters/dynamodb/table-schema.ts), the KMS keys, the documents and access-log
 * buckets, the user pools with their hosted-UI domains, the SES configuration set and the
 * ops/mail-event topics. The pools' app clients live in the stateless stack (see there why).
 * Data stores are retained whatever the stage's removal policy says.
 * A stage whose identity is OIDC (the China stage) gets no user pools; one that mails over SMTP
 * gets no SES resources and no mail-event topic, but the secret holding the relay's credentials.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Effect, ManagedPolicy, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BucketEncryption, type CfnBucket, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { tableSchema } from '../../functions/adapters/dynamodb/table-schema.ts';
import { domainSuffixOf, viaService } from '../config/partition.ts';
import type { StageConfig } from '../config/stage-config.ts';
import { acknowledge } from '../constructs/nag.ts';
import { SecureBucket } from '../constructs/secure-bucket.ts';
import { CitizenDirectory, StaffDirectory } from '../constructs/user-pools.ts';

export interface StatefulStackProps extends StackProps {
  config: StageConfig;
}

export class StatefulStack extends Stack {
  readonly table: Table;
  /** Encrypts the table, the documents bucket and the topics. */
  readonly storageKey: Key;
  /** Envelope encryption of ID numbers (身份证号) at the field level. */
  readonly fieldKey: Key;
  readonly documents: SecureBucket;
  /** Object-level access to documents for presigned URLs; functions attach one of these. */
  readonly documentsAccess: Record<'read' | 'readPut' | 'readDelete', ManagedPolicy>;
  /** Target of S3 server access logs and CloudFront standard logs. */
  readonly accessLogs: SecureBucket;
  /** SES stages only. */
  readonly configurationSet?: ConfigurationSet;
  /** SES bounces, complaints, rejects and delays (SES stages only). */
  readonly mailEvents?: Topic;
  /** SMTP stages only: `{ "username", "password" }` of the mail relay, set by the operator. */
  readonly smtpCredentials?: Secret;
  /** Alibaba Cloud SMS stages only: `{ "accessKeyId", "accessKeySecret" }`, set by the operator. */
  readonly smsCredentials?: Secret;
  /** Alarm notifications. */
  readonly opsTopic: Topic;
  /** Cognito stages only. */
  readonly citizens?: CitizenDirectory;
  readonly staff?: StaffDirectory;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    const viaSes = config.mail.transport === 'ses';
    const suffix = domainSuffixOf(config.region);
    const rebuildable = config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.storageKey = new Key(this, 'StorageKey', {
      description: `Onestop ${config.stage}: table, documents and topics at rest`,
      alias: `alias/onestop-${config.stage}-storage`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // SES (mail events) and CloudWatch (alarms) publish to topics encrypted with this key.
    this.storageKey.addToResourcePolicy(
      new PolicyStatement({
        sid: viaSes
          ? 'AllowSesAndCloudWatchToPublishToEncryptedTopics'
          : 'AllowCloudWatchToPublishToEncryptedTopics',
        effect: Effect.ALLOW,
        principals: [
          ...(viaSes ? [new ServicePrincipal('ses.amazonaws.com')] : []),
          new ServicePrincipal('cloudwatch.amazonaws.com'),
        ],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.fieldKey = new Key(this, 'FieldKey', {
      description: `Onestop ${config.stage}: field-level envelope encryption of ID numbers`,
      alias: `alias/onestop-${config.stage}-field`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new Table(this, 'Table', {
      partitionKey: { name: tableSchema.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableSchema.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: tableSchema.ttlAttribute,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.storageKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of tableSchema.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    this.accessLogs = new SecureBucket(this, 'AccessLogs', {
      // CloudFront standard logging writes with ACLs, so the bucket owner must prefer, not enforce.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      encryption: BucketEncryption.S3_MANAGED,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(config.accessLogRetentionDays) }],
      removalPolicy: rebuildable,
    });
    const consoleOrigin = config.consoleDomain
      ? `https://${config.consoleDomain.name}`
      : `https://*.cloudfront.${suffix === 'amazonaws.com' ? 'net' : 'cn'}`;
    this.documents = new SecureBucket(this, 'Documents', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.storageKey,
      bucketKeyEnabled: true,
      versioned: true,
      accessLogs: { bucket: this.accessLogs, prefix: 'documents' },
      // Browsers upload and download with presigned URLs from the console.
      cors: [
        {
          allowedOrigins: [consoleOrigin],
          allowedMethods: [HttpMethods.GET, HttpMethods.PUT],
          allowedHeaders: ['content-type', 'content-md5', 'x-amz-*'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        {
          id: 'expire-old-versions',
          noncurrentVersionExpiration: Duration.days(config.documentVersionRetentionDays),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.documentsAccess = {
      read: this.documentsPolicy('DocumentsRead', ['s3:GetObject'], ['kms:Decrypt']),
      readPut: this.documentsPolicy(
        'DocumentsReadPut',
        ['s3:GetObject', 's3:PutObject'],
        ['kms:Decrypt', 'kms:GenerateDataKey'],
      ),
      // the retention job: delete the files of long-closed cases (a versioned bucket keeps the
      // old version until the noncurrent-version rule expires it)
      readDelete: this.documentsPolicy(
        'DocumentsReadDelete',
        ['s3:GetObject', 's3:DeleteObject'],
        ['kms:Decrypt'],
      ),
    };

    const topicProps = { masterKey: this.storageKey, enforceSSL: true };
    if (viaSes) {
      this.mailEvents = new Topic(this, 'MailEvents', {
        ...topicProps,
        displayName: `Onestop ${config.stage} mail events`,
      });
    }
    this.opsTopic = new Topic(this, 'Ops', { ...topicProps, displayName: `Onestop ${config.stage} alarms` });
    if (config.alarmEmail) this.opsTopic.addSubscription(new EmailSubscription(config.alarmEmail));

    if (config.mail.transport === 'smtp') {
      // Made with a generated placeholder; the operator puts the relay's account in it after the
      // first deploy (docs/deploy.md). Retained: it is the only copy of that account's password.
      this.smtpCredentials = new Secret(this, 'SmtpCredentials', {
        description: `Onestop ${config.stage}: account on the mail relay ${config.mail.host} ({"username","password"})`,
        encryptionKey: this.storageKey,
        generateSecretString: {
          secretStringTemplate: JSON.stringify({ username: 'onestop' }),
          generateStringKey: 'password',
          excludePunctuation: true,
        },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      acknowledge(
        this.smtpCredentials,
        'AwsSolutions-SMG4',
        'The password belongs to an account on the government mail relay, which only its administrators can change; Secrets Manager cannot rotate it. The operator replaces it when the relay issues a new one (docs/deploy.md), and only the notifier and sweeper may read it.',
      );
      new CfnOutput(this, 'SmtpCredentialsSecretArn', {
        value: this.smtpCredentials.secretArn,
        description: 'Put the relay account here: {"username","password"}',
      });
    }
    if (config.sms?.provider === 'aliyun') {
      // Named by the configuration; a placeholder until the operator puts the RAM user's
      // AccessKey (SendSms only) in it (docs/deploy.md). Retained like the relay's account.
      this.smsCredentials = new Secret(this, 'SmsCredentials', {
        secretName: config.sms.secretName,
        description: `Onestop ${config.stage}: Alibaba Cloud SMS AccessKey ({"accessKeyId","accessKeySecret"})`,
        encryptionKey: this.storageKey,
        generateSecretString: {
          secretStringTemplate: JSON.stringify({ accessKeyId: 'set-after-deploy' }),
          generateStringKey: 'accessKeySecret',
          excludePunctuation: true,
        },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      acknowledge(
        this.smsCredentials,
        'AwsSolutions-SMG4',
        'The AccessKey belongs to a RAM user of the city’s Alibaba Cloud account, which Secrets Manager cannot rotate; the operator replaces it when rotating it there (docs/deploy.md), and only the notifier, sweeper and progress lookup may read it.',
      );
      new CfnOutput(this, 'SmsCredentialsSecretArn', {
        value: this.smsCredentials.secretArn,
        description: 'Put the RAM user’s AccessKey here: {"accessKeyId","accessKeySecret"}',
      });
    }
    if (viaSes) this.configurationSet = this.addSes(config);
    if (config.identity.kind === 'cognito') {
      this.citizens = new CitizenDirectory(this, 'Citizens', config);
      this.staff = new StaffDirectory(this, 'Staff', config);
      new CfnOutput(this, 'CitizenUserPoolId', { value: this.citizens.pool.userPoolId });
      new CfnOutput(this, 'CitizenAuthDomain', { value: this.citizens.authBaseUrl });
      new CfnOutput(this, 'StaffUserPoolId', { value: this.staff.pool.userPoolId });
      new CfnOutput(this, 'StaffAuthDomain', { value: this.staff.authBaseUrl });
    }

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'DocumentsBucketName', { value: this.documents.bucketName });
  }

  /** The SES configuration set (events to the mail-events topic) and the sender's domain identity. */
  private addSes(config: StageConfig): ConfigurationSet {
    const mailEvents = this.mailEvents as Topic;

    const configurationSet = new ConfigurationSet(this, 'Mail', {
      configurationSetName: `onestop-${config.stage}`,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
    });
    configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(mailEvents),
      events: [
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.REJECT,
        EmailSendingEvent.DELIVERY_DELAY,
        EmailSendingEvent.RENDERING_FAILURE,
      ],
    });
    const mailDomain = config.mailFrom.split('@')[1] ?? config.mailFrom;
    const identity = new EmailIdentity(this, 'MailIdentity', {
      identity: Identity.domain(mailDomain),
      configurationSet,
    });

    new CfnOutput(this, 'MailDomain', {
      value: mailDomain,
      description: 'SES identity to verify (DKIM CNAMEs below)',
    });
    identity.dkimRecords.forEach((record, i) => {
      new CfnOutput(this, `MailDkim${i + 1}`, { value: `${record.name} CNAME ${record.value}` });
    });
    return configurationSet;
  }

  /**
   * A managed policy next to the bucket it grants, so the cdk-nag finding for its object
   * wildcard can be named exactly (a cross-stack reference would hide the bucket's logical id).
   */
  private documentsPolicy(id: string, actions: string[], keyActions: string[]): ManagedPolicy {
    const policy = new ManagedPolicy(this, id, {
      description: `Onestop documents: ${actions.join(', ')} on objects`,
      statements: [
        new PolicyStatement({ actions, resources: [this.documents.arnForObjects('*')] }),
        new PolicyStatement({
          actions: keyActions,
          resources: [this.storageKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': viaService('s3', this.region) },
          },
        }),
      ],
    });
    const bucketId = this.getLogicalId(this.documents.node.defaultChild as CfnBucket);
    acknowledge(
      policy,
      `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
      'Documents are stored under generated per-application object keys; a presigned GET/PUT (or the retention job’s delete) must reach any object of this one bucket, and no bucket-level action is granted.',
    );
    return policy;
  }
}
