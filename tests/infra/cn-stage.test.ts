/**
 * The China stage (`-c stage=cn`, aws-cn partition): only what the China regions offer (no
 * Cognito user pools, no SES), every ARN and principal partition-aware, the APIs trusting the
 * OIDC providers of the stage configuration, mail over the SMTP relay with its secret readable by
 * the mailing functions only, and the same data protections as the global stages; cdk-nag clean.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { handlerNames, routes } from '../../functions/http/routes.ts';
import { loadStageConfig } from '../../lib/config/stage-config.ts';
import { scheduledJobs, streamConsumers } from '../../lib/function-catalog.ts';
import { type SynthesizedOnestop, synthOnestop } from './synth.ts';

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

const consoleDist = mkdtempSync(join(tmpdir(), 'onestop-web-dist-'));
writeFileSync(join(consoleDist, 'index.html'), '<!doctype html><title>Onestop</title>');

/** Every string anywhere in a template (keys included), e.g. to look for a hard-coded partition. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

function functionNamed(template: Template, description: string) {
  const found = Object.entries(
    template.findResources('AWS::Lambda::Function', { Properties: { Description: description } }),
  );
  expect(found, `one function described "${description}"`).toHaveLength(1);
  const [id, resource] = found[0]!;
  return { id, props: resource.Properties as Record<string, any> };
}

function statementsOf(template: Template, description: string): Array<Record<string, any>> {
  const roleId = functionNamed(template, description).props.Role['Fn::GetAtt'][0] as string;
  const policies = template.findResources('AWS::IAM::Policy') as Resources;
  return Object.values(policies)
    .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<Record<string, any>>);
}

const actionsOf = (statements: Array<Record<string, any>>) =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]) as string[]);

const citizenIssuer = 'https://uias.zjzwfw.example.gov.cn/oidc';
const staffIssuer = 'https://zzd.example.gov.cn/oauth2';
const context = {
  stage: 'cn',
  citizenIssuer,
  citizenAudiences: 'onestop-citizen,onestop-citizen-app',
  staffIssuer,
  staffAudiences: 'onestop-staff',
  smtpHost: 'smtp.yueqing.example.gov.cn',
  smsSignName: '乐清一网通办',
  smsStatusTemplate: 'SMS_471234567',
  smsCodeTemplate: 'SMS_471234568',
  smsSecretName: 'onestop/yueqing/aliyun-sms',
};

const mailingFunctions = [
  'Stream consumer notifier',
  ...Object.entries(scheduledJobs)
    .filter(([, job]) => job.access.sendMail)
    .map(([name]) => `Scheduled job ${name}`),
];

/** the notifier, the sweeper (unfinished texts) and the progress lookup (one-time codes) */
const textingFunctions = [
  'Stream consumer notifier',
  ...Object.entries(scheduledJobs)
    .filter(([, job]) => job.access.sendSms)
    .map(([name]) => `Scheduled job ${name}`),
  'HTTP handler progress',
];

const ICP_DOMAIN = 'onestop.yueqing.example.gov.cn';
const IAM_CERTIFICATE = 'ASCAEXAMPLE1234567890';

describe.each([
  ['Ningxia (default)', {}, 'cn-northwest-1'],
  [
    'Beijing (-c region=cn-north-1), on its ICP-recorded domain',
    { region: 'cn-north-1', consoleDomain: ICP_DOMAIN, consoleIamCertificateId: IAM_CERTIFICATE },
    'cn-north-1',
  ],
])('cn stage in %s', (_name, extra: Record<string, string>, region) => {
  let onestop: SynthesizedOnestop;
  let stateful: Template;
  let stateless: Template;
  beforeAll(() => {
    // Registered as bin/onestop.ts does: an unacknowledged cdk-nag finding throws here.
    onestop = synthOnestop({ ...context, ...extra }, { consoleAssetDir: consoleDist, nag: true });
    stateful = onestop.statefulTemplate;
    stateless = onestop.statelessTemplate;
  });

  it(`deploys to ${region} in the aws-cn partition`, () => {
    expect(onestop.stateful.region).toBe(region);
    expect(onestop.stateless.region).toBe(region);
  });

  it('holds no ARN with a hard-coded aws partition, in either template', () => {
    for (const template of [stateful, stateless]) {
      const all = strings(template.toJSON());
      expect(all.filter((s) => s.includes('arn:aws:'))).toEqual([]);
    }
    // the partition CDK renders is aws-cn (literal or pseudo-parameter)
    expect(strings(stateless.toJSON()).some((s) => s.includes('arn:aws-cn:'))).toBe(true);
  });

  it('has no Cognito user pool, client or domain', () => {
    for (const template of [stateful, stateless]) {
      const types = Object.values(template.toJSON().Resources as Resources).map((r) => r.Type);
      expect(types.filter((t) => t.startsWith('AWS::Cognito::'))).toEqual([]);
    }
  });

  it('has no SES resource and grants no ses:* action, nor to the SES principal', () => {
    for (const template of [stateful, stateless]) {
      const types = Object.values(template.toJSON().Resources as Resources).map((r) => r.Type);
      expect(types.filter((t) => t.startsWith('AWS::SES::'))).toEqual([]);
      const all = strings(template.toJSON());
      expect(all.filter((s) => /^ses:/i.test(s) || s.startsWith('ses.amazonaws'))).toEqual([]);
    }
  });

  describe.each([
    ['Citizen', 'citizen', citizenIssuer, ['onestop-citizen', 'onestop-citizen-app']],
    ['Staff', 'staff', staffIssuer, ['onestop-staff']],
  ])('%s API', (_a, audience, issuer, audiences) => {
    it('has a JWT authorizer with the issuer and audiences of the stage configuration', () => {
      const apis = stateless.findResources('AWS::ApiGatewayV2::Api', {
        Properties: { Name: `onestop-cn-${audience}` },
      });
      expect(Object.keys(apis)).toHaveLength(1);
      const authorizers = stateless.findResources('AWS::ApiGatewayV2::Authorizer', {
        Properties: { ApiId: { Ref: Object.keys(apis)[0] } },
      }) as Resources;
      expect(Object.values(authorizers).map((a) => a.Properties)).toEqual([
        {
          ApiId: { Ref: Object.keys(apis)[0] },
          AuthorizerType: 'JWT',
          IdentitySource: ['$request.header.Authorization'],
          Name: `${audience}-jwt`,
          JwtConfiguration: { Issuer: issuer, Audience: audiences },
        },
      ]);
      const routesWithAuth = stateless.findResources('AWS::ApiGatewayV2::Route', {
        Properties: { ApiId: { Ref: Object.keys(apis)[0] }, AuthorizationType: 'JWT' },
      });
      expect(Object.keys(routesWithAuth)).toHaveLength(routes.filter((r) => r.auth).length);
    });
  });

  it('tells HTTP handlers the two issuers and the staff claims, so a role comes from the staff provider only', () => {
    const env = functionNamed(stateless, 'HTTP handler applications').props.Environment.Variables;
    expect(env).toMatchObject({
      CITIZEN_ISSUER: citizenIssuer,
      STAFF_ISSUER: staffIssuer,
      STAFF_ROLE_CLAIM: 'roles',
      AGENCY_CLAIM: 'agency',
      TOWNSHIP_CLAIM: 'township',
    });
  });

  describe('mail over the SMTP relay', () => {
    const secretId = () => {
      const secrets = stateful.findResources('AWS::SecretsManager::Secret') as Resources;
      const relay = Object.keys(secrets).filter((id) => id.startsWith('SmtpCredentials'));
      expect(relay).toHaveLength(1);
      return relay[0]!;
    };

    it('keeps the relay credentials in a retained secret under the storage key', () => {
      const secrets = stateful.findResources('AWS::SecretsManager::Secret') as Record<string, any>;
      const secret = secrets[secretId()];
      expect(secret.DeletionPolicy).toBe('Retain');
      expect(secret.Properties.KmsKeyId).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^StorageKey/), 'Arn'],
      });
    });

    it.each(mailingFunctions)('%s sends with MAIL_TRANSPORT=smtp and the secret ARN', (description) => {
      const env = functionNamed(stateless, description).props.Environment.Variables;
      expect(env).toMatchObject({
        MAIL_TRANSPORT: 'smtp',
        MAIL_FROM: onestop.config.mailFrom,
        SMTP_HOST: 'smtp.yueqing.example.gov.cn',
        SMTP_PORT: '465',
        SMTP_TLS: 'implicit',
      });
      expect(JSON.stringify(env.SMTP_SECRET_ARN)).toContain(secretId());
      expect(env.SES_CONFIGURATION_SET).toBeUndefined();
    });

    it.each(mailingFunctions)(
      '%s may read that one secret and nothing else of Secrets Manager',
      (description) => {
        const statements = statementsOf(stateless, description).filter((s) =>
          actionsOf([s]).some((a) => a.startsWith('secretsmanager:')),
        );
        expect(statements).toHaveLength(1);
        expect(statements[0]!.Action).toBe('secretsmanager:GetSecretValue');
        // the relay's secret, and (texting functions) the SMS provider's: no other
        const resources = [statements[0]!.Resource].flat().map((r) => JSON.stringify(r));
        expect(resources.some((r) => r.includes(secretId()))).toBe(true);
        expect(resources.every((r) => r.includes(secretId()) || r.includes('SmsCredentials'))).toBe(true);
        expect(JSON.stringify(statements[0]!.Resource)).not.toContain('*');
        const viaSecrets = statementsOf(stateless, description).find((s) =>
          [s.Condition?.StringEquals?.['kms:ViaService']]
            .flat()
            .includes(`secretsmanager.${region}.amazonaws.com.cn`),
        );
        expect(viaSecrets?.Action).toBe('kms:Decrypt');
      },
    );

    it('lets no other function read the secret', () => {
      const others = handlerNames
        .map((n) => `HTTP handler ${n}`)
        .concat(
          Object.keys(streamConsumers)
            .filter((n) => n !== 'notifier')
            .map((n) => `Stream consumer ${n}`),
        );
      for (const description of others)
        expect(JSON.stringify(statementsOf(stateless, description)), description).not.toContain(secretId());
    });
  });

  describe('SMS through Alibaba Cloud SMS', () => {
    const secretId = () => {
      const secrets = stateful.findResources('AWS::SecretsManager::Secret') as Resources;
      const sms = Object.keys(secrets).filter((id) => id.startsWith('SmsCredentials'));
      expect(sms).toHaveLength(1);
      return sms[0]!;
    };

    it('keeps the AccessKey in the configured, retained secret under the storage key', () => {
      const secret = (stateful.findResources('AWS::SecretsManager::Secret') as Record<string, any>)[
        secretId()
      ];
      expect(secret.DeletionPolicy).toBe('Retain');
      expect(secret.Properties.Name).toBe('onestop/yueqing/aliyun-sms');
      expect(secret.Properties.KmsKeyId).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^StorageKey/), 'Arn'],
      });
    });

    it.each(textingFunctions)(
      '%s texts with SMS_TRANSPORT=aliyun, the templates and the secret ARN',
      (description) => {
        const env = functionNamed(stateless, description).props.Environment.Variables;
        expect(env).toMatchObject({
          SMS_TRANSPORT: 'aliyun',
          ALIYUN_SMS_ENDPOINT: 'https://dysmsapi.aliyuncs.com',
          ALIYUN_SMS_REGION: 'cn-hangzhou',
          ALIYUN_SMS_SIGN_NAME: '乐清一网通办',
          ALIYUN_SMS_STATUS_TEMPLATE: 'SMS_471234567',
          ALIYUN_SMS_CODE_TEMPLATE: 'SMS_471234568',
          SMS_DAILY_CAP: String(onestop.config.sms?.dailyCap),
        });
        expect(JSON.stringify(env.ALIYUN_SMS_SECRET_ARN)).toContain(secretId());
        expect(env.SMS_ORIGINATION_ARN).toBeUndefined();
        // no key material in the environment
        expect(JSON.stringify(env)).not.toMatch(/ACCESS_KEY/);
      },
    );

    it.each(textingFunctions)(
      '%s may read that one secret, its key through Secrets Manager only',
      (description) => {
        const statements = statementsOf(stateless, description).filter((s) =>
          JSON.stringify(s.Resource).includes(secretId()),
        );
        expect(statements).toHaveLength(1);
        expect(statements[0]!.Action).toBe('secretsmanager:GetSecretValue');
        expect(JSON.stringify(statements[0]!.Resource)).not.toContain('*');
        const viaSecrets = statementsOf(stateless, description).find((s) =>
          [s.Condition?.StringEquals?.['kms:ViaService']]
            .flat()
            .includes(`secretsmanager.${region}.amazonaws.com.cn`),
        );
        expect(viaSecrets?.Action).toBe('kms:Decrypt');
        expect(
          actionsOf(statementsOf(stateless, description)).filter((a) => a.startsWith('sms-voice:')),
        ).toEqual([]);
      },
    );

    it('lets no other function read the secret', () => {
      const others = handlerNames
        .filter((n) => n !== 'progress')
        .map((n) => `HTTP handler ${n}`)
        .concat(
          Object.keys(streamConsumers)
            .filter((n) => n !== 'notifier')
            .map((n) => `Stream consumer ${n}`),
          Object.entries(scheduledJobs)
            .filter(([, job]) => !job.access.sendSms)
            .map(([name]) => `Scheduled job ${name}`),
        );
      expect(others.length).toBeGreaterThan(5);
      for (const description of others)
        expect(JSON.stringify(statementsOf(stateless, description)), description).not.toContain(secretId());
    });
  });

  describe('data protection as in the global stages', () => {
    it('encrypts the table with the customer-managed key, with PITR and deletion protection, retained', () => {
      const tables = stateful.findResources('AWS::DynamoDB::Table') as Record<string, any>;
      expect(Object.keys(tables)).toHaveLength(1);
      const table = Object.values(tables)[0];
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.Properties).toMatchObject({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      });
    });

    it('has the storage and field keys, rotating and retained', () => {
      const keys = Object.values(stateful.findResources('AWS::KMS::Key') as Record<string, any>);
      expect(keys).toHaveLength(2);
      for (const key of keys) {
        expect(key.Properties.EnableKeyRotation).toBe(true);
        expect(key.DeletionPolicy).toBe('Retain');
      }
    });

    it('scopes key use through DynamoDB and S3 to the China endpoints', () => {
      const all = strings([stateful.toJSON(), stateless.toJSON()]);
      expect(all).toContain(`dynamodb.${region}.amazonaws.com.cn`);
      expect(all).toContain(`s3.${region}.amazonaws.com.cn`);
    });

    it.each(Object.keys(streamConsumers))(
      'sends what %s never processed to an encrypted on-failure queue',
      (name) => {
        const fn = functionNamed(stateless, `Stream consumer ${name}`);
        const mapping = Object.values(
          stateless.findResources('AWS::Lambda::EventSourceMapping', {
            Properties: { FunctionName: { Ref: fn.id } },
          }) as Resources,
        );
        expect(mapping).toHaveLength(1);
        const queueId = mapping[0]!.Properties.DestinationConfig.OnFailure.Destination[
          'Fn::GetAtt'
        ][0] as string;
        expect((stateless.findResources('AWS::SQS::Queue') as Resources)[queueId]?.Properties).toMatchObject({
          SqsManagedSseEnabled: true,
        });
      },
    );
  });

  it('runs every function on the architecture and runtime of the stage configuration', () => {
    const fns = Object.values(stateless.findResources('AWS::Lambda::Function') as Resources).filter(
      (f) =>
        typeof f.Properties.Description === 'string' &&
        /^(HTTP handler|Stream consumer|Scheduled job)/.test(f.Properties.Description),
    );
    expect(fns.length).toBe(
      handlerNames.length + Object.keys(streamConsumers).length + Object.keys(scheduledJobs).length,
    );
    for (const f of fns)
      expect(f.Properties).toMatchObject({ Architectures: ['arm64'], Runtime: 'nodejs24.x' });
  });

  it('serves the console through an origin access identity (CloudFront China has no OAC)', () => {
    const types = Object.values(stateless.toJSON().Resources as Resources).map((r) => r.Type);
    expect(types).not.toContain('AWS::CloudFront::OriginAccessControl');
    expect(types).toContain('AWS::CloudFront::CloudFrontOriginAccessIdentity');
    const dist = Object.values(stateless.findResources('AWS::CloudFront::Distribution') as Resources)[0];
    expect(dist?.Properties.DistributionConfig.PriceClass).toBeUndefined();
  });

  it('serves the console on the ICP-recorded domain with the IAM certificate, when one is configured', () => {
    const dist = Object.values(stateless.findResources('AWS::CloudFront::Distribution') as Resources)[0];
    const config = dist?.Properties.DistributionConfig;
    if (!extra.consoleDomain) {
      // without a domain the distribution exists but CloudFront China serves no one (deploy guide)
      expect(config.Aliases).toBeUndefined();
      return;
    }
    expect(config.Aliases).toEqual([ICP_DOMAIN]);
    expect(config.ViewerCertificate).toEqual({
      IamCertificateId: IAM_CERTIFICATE,
      SslSupportMethod: 'sni-only',
      MinimumProtocolVersion: 'TLSv1.2_2021',
    });
    // the APIs allow the console's origin: the custom domain, not the *.cloudfront.cn name
    expect(JSON.stringify(stateless.findResources('AWS::ApiGatewayV2::Api'))).toContain(
      `https://${ICP_DOMAIN}`,
    );
  });

  it('leaves no cdk-nag finding unacknowledged', () => {
    const { violations } = new AwsSolutionsChecks().validateScope(onestop.app);
    expect(
      violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join()}`),
    ).toEqual([]);
  });
});

describe('cn stage configuration', () => {
  const read = (ctx: Record<string, string>) => (key: string) => ctx[key];

  it('refuses Cognito and SES in a China region', () => {
    expect(() => loadStageConfig(read({ stage: 'prod', region: 'cn-north-1' }))).toThrow(
      /Cognito user pools do not exist in the China regions[\s\S]*SES does not exist in the China regions/,
    );
  });

  it('takes the console certificate from IAM in China and from ACM elsewhere, naming the field', () => {
    expect(() =>
      loadStageConfig(
        read({
          stage: 'cn',
          consoleDomain: ICP_DOMAIN,
          consoleCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
        }),
      ),
    ).toThrow(/does not use ACM[\s\S]*consoleDomain\.certificateArn/);
    expect(() =>
      loadStageConfig(
        read({
          stage: 'prod',
          consoleDomain: 'onestop.example.cn',
          consoleIamCertificateId: IAM_CERTIFICATE,
        }),
      ),
    ).toThrow(/iamCertificateId/);
    expect(() => loadStageConfig(read({ stage: 'cn', consoleDomain: ICP_DOMAIN }))).toThrow(
      /either as an ACM ARN/,
    );
    expect(
      loadStageConfig(
        read({ stage: 'cn', consoleDomain: ICP_DOMAIN, consoleIamCertificateId: IAM_CERTIFICATE }),
      ).consoleDomain,
    ).toEqual({ name: ICP_DOMAIN, iamCertificateId: IAM_CERTIFICATE });
  });

  it('takes the SMS signature, templates and secret from context, and names a bad template field', () => {
    const config = loadStageConfig(
      read({ stage: 'cn', smsSignName: '乐清一网通办', smsStatusTemplate: 'SMS_1', smsSecretName: 'a/b' }),
    );
    expect(config.sms).toMatchObject({
      provider: 'aliyun',
      endpoint: 'https://dysmsapi.aliyuncs.com',
      region: 'cn-hangzhou',
      signName: '乐清一网通办',
      templates: { status: 'SMS_1', code: 'SMS_000000002' },
      secretName: 'a/b',
    });
    expect(() => loadStageConfig(read({ stage: 'cn', smsCodeTemplate: 'my-template' }))).toThrow(
      /sms\.templates\.code/,
    );
    expect(loadStageConfig(read({ stage: 'cn', sms: 'off', smsSignName: 'x' })).sms).toBeUndefined();
  });

  it('takes the Lambda platform from context, for a region that lacks one', () => {
    const config = loadStageConfig(
      read({ stage: 'cn', lambdaArchitecture: 'x86_64', lambdaRuntime: 'nodejs22.x' }),
    );
    expect(config.lambda).toEqual({ architecture: 'x86_64', runtime: 'nodejs22.x' });
  });

  it('requires https issuers and at least one audience', () => {
    expect(() => loadStageConfig(read({ stage: 'cn', citizenIssuer: 'http://idp.example.cn' }))).toThrow(
      /issuer/,
    );
    expect(() => loadStageConfig(read({ stage: 'cn', staffAudiences: ' , ' }))).toThrow(/audiences/);
  });
});
