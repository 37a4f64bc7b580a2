import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableSchema } from '../../functions/adapters/dynamodb/table-schema.ts';
import { staffGroups } from '../../lib/constructs/user-pools.ts';
import { type SynthesizedOnestop, synthOnestop } from './synth.ts';

const publicAccessBlocked = {
  BlockPublicAcls: true,
  BlockPublicPolicy: true,
  IgnorePublicAcls: true,
  RestrictPublicBuckets: true,
};

describe.each(['dev', 'prod'])('stateful stack (%s)', (stage) => {
  let onestop: SynthesizedOnestop;
  beforeAll(() => {
    onestop = synthOnestop({ stage });
  });
  const template = () => onestop.statefulTemplate;

  describe('the single table', () => {
    it('is built from table-schema.ts: keys, GSIs and TTL attribute', () => {
      template().hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: tableSchema.partitionKey, KeyType: 'HASH' },
          { AttributeName: tableSchema.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: tableSchema.indexes.map((ix) => ({
          IndexName: ix.name,
          KeySchema: [
            { AttributeName: ix.partitionKey, KeyType: 'HASH' },
            { AttributeName: ix.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
        TimeToLiveSpecification: { AttributeName: tableSchema.ttlAttribute, Enabled: true },
      });
    });

    it('is on-demand, streams new and old images, has PITR and deletion protection', () => {
      template().hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      });
    });

    it('is encrypted with the customer-managed storage key', () => {
      template().hasResourceProperties('AWS::DynamoDB::Table', {
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StorageKey'), 'Arn'] },
        },
      });
    });

    it('is retained by CloudFormation whatever the stage', () => {
      template().hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });
  });

  describe('KMS keys', () => {
    it('has a storage key and a field-encryption key, both rotating and retained', () => {
      const keys = template().findResources('AWS::KMS::Key', {
        Properties: { EnableKeyRotation: true },
        DeletionPolicy: 'Retain',
      });
      expect(Object.keys(keys)).toHaveLength(2);
      template().hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/onestop-${stage}-field` });
      template().hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/onestop-${stage}-storage` });
    });

    it('lets SES and CloudWatch publish to the topics the storage key encrypts', () => {
      template().hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: Match.arrayWith(['cloudwatch.amazonaws.com', 'ses.amazonaws.com']) },
              Action: Match.arrayWith(['kms:Decrypt', 'kms:GenerateDataKey*']),
            }),
          ]),
        },
      });
    });
  });

  describe('buckets', () => {
    it('blocks public access on every bucket', () => {
      const buckets = template().findResources('AWS::S3::Bucket');
      expect(Object.keys(buckets)).toHaveLength(2);
      for (const bucket of Object.values(buckets)) {
        expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual(publicAccessBlocked);
      }
    });

    it('keeps documents versioned, KMS-encrypted, access-logged, with lifecycle rules', () => {
      template().hasResourceProperties('AWS::S3::Bucket', {
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
            },
          ],
        },
        LoggingConfiguration: { LogFilePrefix: 's3/documents/' },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
            Match.objectLike({
              NoncurrentVersionExpiration: { NoncurrentDays: onestop.config.documentVersionRetentionDays },
            }),
          ]),
        },
      });
    });

    it('denies every request without TLS on both buckets', () => {
      const policies = template().findResources('AWS::S3::BucketPolicy', {
        Properties: {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        },
      });
      expect(Object.keys(policies)).toHaveLength(2);
    });

    it('expires access logs after the stage retention', () => {
      template().hasResourceProperties('AWS::S3::Bucket', {
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ ExpirationInDays: onestop.config.accessLogRetentionDays }),
          ]),
        },
      });
    });
  });

  describe('mail', () => {
    it('has a configuration set that requires TLS and suppresses bounces and complaints', () => {
      template().hasResourceProperties('AWS::SES::ConfigurationSet', {
        Name: `onestop-${stage}`,
        DeliveryOptions: { TlsPolicy: 'REQUIRE' },
        SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      });
    });

    it('publishes bounces and complaints to an encrypted SNS topic', () => {
      template().hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        EventDestination: {
          Enabled: true,
          MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
          SnsDestination: { TopicARN: { Ref: Match.stringLikeRegexp('^MailEvents') } },
        },
      });
      template().hasResourceProperties('AWS::SNS::Topic', {
        DisplayName: `Onestop ${stage} mail events`,
        KmsMasterKeyId: Match.anyValue(),
      });
    });

    it("creates the sender's domain identity inside the configuration set", () => {
      template().hasResourceProperties('AWS::SES::EmailIdentity', {
        EmailIdentity: onestop.config.mailFrom.split('@')[1],
        ConfigurationSetAttributes: { ConfigurationSetName: { Ref: Match.stringLikeRegexp('^Mail') } },
      });
    });
  });

  describe('user pools', () => {
    it('lets citizens sign up with e-mail or phone, verified', () => {
      template().hasResourceProperties('AWS::Cognito::UserPool', {
        UserPoolName: `onestop-${stage}-citizens`,
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
        UsernameAttributes: ['email', 'phone_number'],
        AutoVerifiedAttributes: ['email', 'phone_number'],
        DeletionProtection: 'ACTIVE',
      });
    });

    it('invites staff only, requires TOTP MFA and enforces threat protection', () => {
      template().hasResourceProperties('AWS::Cognito::UserPool', {
        UserPoolName: `onestop-${stage}-staff`,
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        Schema: Match.arrayWith([
          Match.objectLike({ Name: 'agency', AttributeDataType: 'String' }),
          Match.objectLike({ Name: 'township', AttributeDataType: 'String' }),
        ]),
      });
    });

    it('has one staff group per role, admin first', () => {
      for (const [index, group] of staffGroups.entries()) {
        template().hasResourceProperties('AWS::Cognito::UserPoolGroup', {
          GroupName: group.name,
          Precedence: (index + 1) * 10,
        });
      }
    });

    it.each([
      ['citizens', 'Citizens'],
      ['staff', 'Staff'],
    ])('gives the %s pool a managed-login domain whose prefix is unique to the stack', (name, id) => {
      // The prefix ends in the first 8 hex digits of the stack's UUID (arn:…:stack/<name>/<uuid>).
      const stackUuidHead = {
        'Fn::Select': [
          0,
          { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }] },
        ],
      };
      template().hasResourceProperties('AWS::Cognito::UserPoolDomain', {
        Domain: { 'Fn::Join': ['', [`onestop-${stage}-${name}-`, stackUuidHead]] },
        ManagedLoginVersion: 2,
        UserPoolId: { Ref: Match.stringLikeRegexp(`^${id}Pool`) },
      });
      const prefix = `onestop-${stage}-${name}-0123abcd`;
      expect(prefix.length).toBeLessThanOrEqual(63);
      expect(prefix).toMatch(/^[a-z0-9-]+$/);
      expect(prefix).not.toMatch(/cognito|aws|amazon/);
    });

    it('has exactly one hosted-UI domain per pool', () => {
      template().resourceCountIs('AWS::Cognito::UserPoolDomain', 2);
    });

    it('leaves the app clients to the stateless stack (their callback is the console origin)', () => {
      template().resourceCountIs('AWS::Cognito::UserPoolClient', 0);
    });

    it('outputs the hosted-UI base URLs', () => {
      for (const [output, id] of [
        ['CitizenAuthDomain', 'Citizens'],
        ['StaffAuthDomain', 'Staff'],
      ]) {
        template().hasOutput(output!, {
          Value: {
            'Fn::Join': [
              '',
              [
                'https://',
                { Ref: Match.stringLikeRegexp(`^${id}PoolHostedUi`) },
                '.auth.ap-southeast-1.amazoncognito.com',
              ],
            ],
          },
        });
      }
    });

    it('retains both pools', () => {
      const pools = template().findResources('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
      expect(Object.keys(pools)).toHaveLength(2);
    });
  });
});
