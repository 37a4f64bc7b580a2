import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { handlerNames, routes } from '../../functions/http/routes.ts';
import { defaultHttpAccess, httpAccess, scheduledJobs, streamConsumers } from '../../lib/function-catalog.ts';
import { type SynthesizedOnestop, synthOnestop } from './synth.ts';

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

/** Logical id and properties of the function with this description. */
function functionNamed(template: Template, description: string) {
  const found = Object.entries(
    template.findResources('AWS::Lambda::Function', { Properties: { Description: description } }),
  );
  expect(found, `one function described "${description}"`).toHaveLength(1);
  const [id, resource] = found[0]!;
  return { id, props: resource.Properties as Record<string, any> };
}

/** Every IAM statement attached to a function's role, inline or managed. */
function statementsOf(template: Template, description: string): Array<Record<string, any>> {
  const roleId = functionNamed(template, description).props.Role['Fn::GetAtt'][0] as string;
  const policies = template.findResources('AWS::IAM::Policy') as Resources;
  return Object.values(policies)
    .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<Record<string, any>>);
}

const actionsOf = (statements: Array<Record<string, any>>) =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]) as string[]);

describe('stateless stack', () => {
  let onestop: SynthesizedOnestop;
  let template: Template;
  beforeAll(() => {
    onestop = synthOnestop({ stage: 'prod' });
    template = onestop.statelessTemplate;
  });

  describe('functions', () => {
    it('has one function per HTTP handler module, stream consumer and scheduled job', () => {
      const expected =
        handlerNames.length + Object.keys(streamConsumers).length + Object.keys(scheduledJobs).length;
      template.resourceCountIs('AWS::Lambda::Function', expected);
      for (const name of handlerNames) functionNamed(template, `HTTP handler ${name}`);
      for (const name of Object.keys(streamConsumers)) functionNamed(template, `Stream consumer ${name}`);
      for (const name of Object.keys(scheduledJobs)) functionNamed(template, `Scheduled job ${name}`);
    });

    it('runs every function on ARM64 with the Node.js 24 runtime, as an ESM bundle', () => {
      const functions = template.findResources('AWS::Lambda::Function') as Resources;
      for (const [id, fn] of Object.entries(functions)) {
        expect(fn.Properties.Runtime, id).toBe('nodejs24.x');
        expect(fn.Properties.Architectures, id).toEqual(['arm64']);
        expect(fn.Properties.Handler, id).toBe('index.handler');
      }
    });

    it('logs every function to its own log group with the stage retention', () => {
      const functions = template.findResources('AWS::Lambda::Function') as Resources;
      const groups = template.findResources('AWS::Logs::LogGroup') as Resources;
      for (const fn of Object.values(functions)) {
        const groupId = fn.Properties.LoggingConfig.LogGroup.Ref as string;
        expect(groups[groupId]?.Properties.RetentionInDays).toBe(onestop.config.logRetentionDays);
      }
    });

    it('gives every function the table, stage, log level and field key; HTTP handlers the token issuers', () => {
      for (const name of handlerNames) {
        const { props } = functionNamed(template, `HTTP handler ${name}`);
        expect(Object.keys(props.Environment.Variables)).toEqual(
          expect.arrayContaining([
            'TABLE_NAME',
            'STAGE',
            'LOG_LEVEL',
            'KMS_KEY_ID',
            'CONSOLE_ORIGIN',
            'CITIZEN_ISSUER',
            'STAFF_ISSUER',
          ]),
        );
        expect(props.Environment.Variables.STAGE).toBe('prod');
      }
    });

    it('uses no AWS managed policy: each role writes only to its own log group', () => {
      const roles = template.findResources('AWS::IAM::Role') as Resources;
      for (const [id, role] of Object.entries(roles)) {
        expect(role.Properties.ManagedPolicyArns ?? [], id).not.toEqual(
          expect.arrayContaining([expect.stringContaining('iam::aws:policy')]),
        );
      }
    });
  });

  describe('least privilege', () => {
    it('lets read-only handlers only read the table', () => {
      const readOnly = handlerNames.filter((name) => httpAccess[name]?.table === 'read');
      expect(readOnly).toEqual(expect.arrayContaining(['health', 'reports']));
      for (const name of readOnly) {
        const actions = actionsOf(statementsOf(template, `HTTP handler ${name}`));
        expect(actions).toContain('dynamodb:GetItem');
        expect(actions).not.toContain('dynamodb:PutItem');
        expect(actions).not.toContain('dynamodb:UpdateItem');
        expect(actions).not.toContain('kms:Encrypt');
      }
    });

    it('names the table and its GSIs one by one, never index/*', () => {
      const statements = statementsOf(template, 'HTTP handler applications');
      const table = statements.find((s) => actionsOf([s]).includes('dynamodb:Query'));
      expect(JSON.stringify(table?.Resource)).toMatch(/\/index\/GSI1/);
      expect(JSON.stringify(table?.Resource)).not.toMatch(/index\/\*/);
    });

    it('grants the ID-number field key (decrypt only: envelope keys) only to handlers that touch applications', () => {
      const withFieldKey = handlerNames.filter((name) =>
        statementsOf(template, `HTTP handler ${name}`).some((s) =>
          JSON.stringify(s.Resource).includes('FieldKey'),
        ),
      );
      expect(withFieldKey).toEqual(
        handlerNames.filter((name) => (httpAccess[name] ?? defaultHttpAccess).fieldKey),
      );
      expect(withFieldKey).toContain('applications');
      expect(withFieldKey).not.toContain('health');
      const fieldKeyActions = handlerNames.flatMap((name) =>
        statementsOf(template, `HTTP handler ${name}`)
          .filter((s) => JSON.stringify(s.Resource).includes('FieldKey'))
          .flatMap((s) => actionsOf([s])),
      );
      expect(new Set(fieldKeyActions)).toEqual(new Set(['kms:Decrypt']));
    });

    it('lets the notifier send mail only from the configured sender', () => {
      const statements = statementsOf(template, 'Stream consumer notifier');
      const send = statements.find((s) => actionsOf([s]).includes('ses:SendEmail'));
      expect(send?.Condition).toEqual({ StringEquals: { 'ses:FromAddress': onestop.config.mailFrom } });
      const others = handlerNames.flatMap((name) =>
        actionsOf(statementsOf(template, `HTTP handler ${name}`)),
      );
      expect(others).not.toContain('ses:SendEmail');
    });

    it('attaches the documents policy only to handlers that presign document URLs', () => {
      const withDocuments = Object.values(template.findResources('AWS::IAM::Role') as Resources).filter(
        (role) => (role.Properties.ManagedPolicyArns ?? []).length > 0,
      );
      const expected = handlerNames.filter((name) => httpAccess[name]?.documents).length;
      expect(withDocuments).toHaveLength(expected);
    });
  });

  describe.each(['Citizen', 'Staff'])('%s HTTP API', (audience) => {
    const apiId = () => {
      const apis = template.findResources('AWS::ApiGatewayV2::Api', {
        Properties: { Name: `onestop-prod-${audience.toLowerCase()}` },
      });
      expect(Object.keys(apis)).toHaveLength(1);
      return Object.keys(apis)[0]!;
    };

    it(`has a JWT authorizer on the ${audience.toLowerCase()} user pool`, () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        ApiId: { Ref: apiId() },
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [Match.anyValue()],
          Issuer: {
            'Fn::Join': ['', ['https://cognito-idp.ap-southeast-1.amazonaws.com/', Match.anyValue()]],
          },
        },
      });
    });

    it('puts the authorizer on every route with auth: true and none on the public ones', () => {
      const authorizers = template.findResources('AWS::ApiGatewayV2::Authorizer', {
        Properties: { ApiId: { Ref: apiId() } },
      });
      const authorizerId = Object.keys(authorizers)[0]!;
      const apiRoutes = template.findResources('AWS::ApiGatewayV2::Route', {
        Properties: { ApiId: { Ref: apiId() } },
      }) as Resources;
      expect(Object.keys(apiRoutes)).toHaveLength(routes.length);
      for (const route of routes) {
        const key = `${route.method} ${route.path}`;
        const found = Object.values(apiRoutes).filter((r) => r.Properties.RouteKey === key);
        expect(found, key).toHaveLength(1);
        const props = found[0]!.Properties;
        if (route.auth) {
          expect(props.AuthorizationType, key).toBe('JWT');
          expect(props.AuthorizerId, key).toEqual({ Ref: authorizerId });
        } else {
          expect(props.AuthorizationType ?? 'NONE', key).toBe('NONE');
          expect(props.AuthorizerId, key).toBeUndefined();
        }
      }
    });

    it('throttles the default stage and writes JSON access logs', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        ApiId: { Ref: apiId() },
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: {
          ThrottlingRateLimit: onestop.config.throttle.rateLimit,
          ThrottlingBurstLimit: onestop.config.throttle.burstLimit,
        },
        AccessLogSettings: {
          DestinationArn: Match.anyValue(),
          Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
        },
      });
    });

    it('allows CORS from the console origin only', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        Name: `onestop-prod-${audience.toLowerCase()}`,
        CorsConfiguration: {
          AllowOrigins: [
            {
              'Fn::Join': [
                '',
                ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^ConsoleCdn'), 'DomainName'] }],
              ],
            },
          ],
        },
      });
    });
  });

  describe('stream consumers', () => {
    it.each(Object.entries(streamConsumers))(
      '%s reports partial batch failures, bisects, retries and sends what never succeeds to SQS',
      (name, spec) => {
        const fn = functionNamed(template, `Stream consumer ${name}`);
        const mapping = template.findResources('AWS::Lambda::EventSourceMapping', {
          Properties: { FunctionName: { Ref: fn.id } },
        }) as Resources;
        expect(Object.keys(mapping)).toHaveLength(1);
        const props = Object.values(mapping)[0]!.Properties;
        expect(props).toMatchObject({
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          BisectBatchOnFunctionError: true,
          MaximumRetryAttempts: spec.retryAttempts,
          StartingPosition: 'TRIM_HORIZON',
          BatchSize: spec.batchSize,
        });
        const queueId = props.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0] as string;
        const queue = (template.findResources('AWS::SQS::Queue') as Resources)[queueId];
        expect(queue?.Properties).toMatchObject({
          SqsManagedSseEnabled: true,
          MessageRetentionPeriod: 14 * 24 * 3600,
        });
      },
    );

    it('invokes the notifier only for new event items (the outbox)', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FilterCriteria: {
          Filters: [
            {
              Pattern: JSON.stringify({
                eventName: ['INSERT'],
                dynamodb: { NewImage: { type: { S: ['event'] } } },
              }),
            },
          ],
        },
      });
    });

    it('refuses non-TLS access to the on-failure queues', () => {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  describe('scheduled jobs', () => {
    it.each(Object.entries(scheduledJobs))(
      'runs %s on its EventBridge schedule without retries',
      (name, spec) => {
        const fn = functionNamed(template, `Scheduled job ${name}`);
        template.hasResourceProperties('AWS::Events::Rule', {
          ScheduleExpression: spec.schedule,
          State: 'ENABLED',
          Targets: [
            Match.objectLike({
              Arn: { 'Fn::GetAtt': [fn.id, 'Arn'] },
              RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
            }),
          ],
        });
      },
    );

    it('sweeps every minute', () => {
      expect(scheduledJobs.sweeper.schedule).toBe('rate(1 minute)');
    });
  });

  describe('console', () => {
    it('keeps the console bucket private and reachable only through CloudFront OAC', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: { LogFilePrefix: 's3/console/' },
      });
      template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always' },
      });
    });

    it('serves HTTPS only with logging, SPA fallback and the security headers policy', () => {
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultRootObject: 'index.html',
          DefaultCacheBehavior: Match.objectLike({
            ViewerProtocolPolicy: 'redirect-to-https',
            ResponseHeadersPolicyId: { Ref: Match.stringLikeRegexp('^ConsoleSecurityHeaders') },
          }),
          Logging: Match.objectLike({ Prefix: 'cloudfront/console/' }),
          CustomErrorResponses: Match.arrayWith([
            Match.objectLike({ ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html' }),
          ]),
        }),
      });
    });

    it('sends CSP, HSTS, nosniff, frame denial and a strict referrer policy', () => {
      template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: Match.objectLike({
          SecurityHeadersConfig: Match.objectLike({
            ContentSecurityPolicy: {
              ContentSecurityPolicy: Match.stringLikeRegexp("frame-ancestors 'none'"),
              Override: true,
            },
            StrictTransportSecurity: Match.objectLike({
              AccessControlMaxAgeSec: 730 * 24 * 3600,
              IncludeSubdomains: true,
            }),
            ContentTypeOptions: { Override: true },
            FrameOptions: { FrameOption: 'DENY', Override: true },
            ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          }),
        }),
      });
    });

    it('deploys no console files while web/dist is not built', () => {
      expect(Object.keys(template.findResources('Custom::CDKBucketDeployment'))).toHaveLength(0);
    });

    it('deploys the built console with a generated config.json once it exists', () => {
      // Arrange
      const dist = mkdtempSync(join(tmpdir(), 'onestop-web-dist-'));
      writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Onestop</title>');

      // Act
      const withConsole = synthOnestop({ stage: 'dev' }, { consoleAssetDir: dist });

      // Assert
      withConsole.statelessTemplate.hasResourceProperties('Custom::CDKBucketDeployment', {
        DestinationBucketName: { Ref: Match.stringLikeRegexp('^ConsoleBucket') },
        Prune: true,
        DistributionPaths: ['/index.html', '/config.json'],
      });
    });
  });

  describe('alarms', () => {
    const alarmNamed = (name: string) =>
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `onestop-prod-${name}`,
        AlarmActions: [Match.anyValue()],
        TreatMissingData: 'notBreaching',
      });

    it('watches errors and throttles of every function', () => {
      const names = [
        ...handlerNames.map((n) => `http-${n}`),
        ...Object.keys(streamConsumers).map((n) => `stream-${n}`),
        ...Object.keys(scheduledJobs).map((n) => `scheduled-${n}`),
      ];
      for (const name of names) {
        alarmNamed(`${name}-errors`);
        alarmNamed(`${name}-throttles`);
      }
    });

    it('watches the depth of every on-failure queue', () => {
      for (const name of Object.keys(streamConsumers)) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          AlarmName: `onestop-prod-stream-${name}-dlq-depth`,
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Namespace: 'AWS/SQS',
          Threshold: 1,
        });
      }
    });

    it('watches SLA breaches through the custom metric Onestop/SlaBreaches', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'onestop-prod-sla-breaches',
        Namespace: 'Onestop',
        MetricName: 'SlaBreaches',
        Dimensions: [{ Name: 'Stage', Value: 'prod' }],
        Statistic: 'Sum',
        Threshold: 1,
      });
    });

    it('watches 5xx answers of both APIs', () => {
      alarmNamed('citizen-api-5xx');
      alarmNamed('staff-api-5xx');
    });
  });
});
