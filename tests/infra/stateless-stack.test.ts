import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { handlerNames, routes } from '../../functions/http/routes.ts';
import { defaultHttpAccess, httpAccess, scheduledJobs, streamConsumers } from '../../lib/function-catalog.ts';
import { CALLBACK_PATH } from '../../web/src/auth/hosted-ui.ts';
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

/**
 * A CloudFormation value as readable text: literals as they are, `Fn::Join` joined, references as
 * `<LogicalId>`, `<LogicalId.Attr>` and cross-stack values as `<Stack:OutputOrExportName>`.
 */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const [fn, arg] = Object.entries((value ?? {}) as Record<string, any>)[0] ?? [];
  switch (fn) {
    case 'Fn::Join':
      return (arg[1] as unknown[]).map(render).join(arg[0] as string);
    case 'Ref':
      return `<${arg}>`;
    case 'Fn::GetAtt':
      return `<${arg[0]}.${arg[1]}>`;
    case 'Fn::GetStackOutput':
      return `<${arg.StackName}:${arg.OutputName}>`;
    case 'Fn::ImportValue':
      return `<${render(arg)}>`;
    default:
      return JSON.stringify(value);
  }
}

/** The hosted-UI base URL of a pool as the stateless stack sees it (a value of the stateful stack). */
const hostedUi = (stage: string, pool: 'Citizens' | 'Staff') =>
  new RegExp(
    `^https://<Onestop-${stage}-Stateful:[A-Za-z]*${pool}PoolHostedUi[0-9A-F]+>\\.auth\\.ap-southeast-1\\.amazoncognito\\.com$`,
  );

/** The config.json the console deployment writes, with CDK's markers replaced by their values. */
function deployedConfigJson(onestop: SynthesizedOnestop): Record<string, string> {
  const deployments = Object.values(
    onestop.statelessTemplate.findResources('Custom::CDKBucketDeployment') as Resources,
  ).filter((d) => d.Properties.DistributionPaths);
  expect(deployments).toHaveLength(1);
  const props = deployments[0]!.Properties;
  const assembly = onestop.app.synth().directory;
  const index = (props.SourceObjectKeys as string[]).findIndex((key) =>
    existsSync(join(assembly, `asset.${key.replace(/\.zip$/, '')}`, 'config.json')),
  );
  expect(index, 'an asset holding config.json').toBeGreaterThanOrEqual(0);
  const key = (props.SourceObjectKeys as string[])[index]!.replace(/\.zip$/, '');
  const markers = (props.SourceMarkers as Array<Record<string, unknown>>)[index] ?? {};
  const raw = readFileSync(join(assembly, `asset.${key}`, 'config.json'), 'utf8');
  return JSON.parse(raw.replace(/<<marker:0xbaba:\d+>>/g, (marker) => render(markers[marker])));
}

describe('stateless stack', () => {
  let onestop: SynthesizedOnestop;
  let template: Template;
  beforeAll(() => {
    onestop = synthOnestop({ stage: 'prod' });
    template = onestop.statelessTemplate;
  });

  it('stays well inside CloudFormation’s 500 resources: one invoke permission per function and API, not per route', () => {
    const resources = Object.values(template.toJSON().Resources as Record<string, { Type: string }>);
    expect(resources.length).toBeLessThan(450);
    const permissions = resources.filter((r) => r.Type === 'AWS::Lambda::Permission').length;
    const routes = resources.filter((r) => r.Type === 'AWS::ApiGatewayV2::Route').length;
    expect(permissions).toBeLessThan(routes / 4);
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

    it('attaches a documents policy only to handlers that presign document URLs and the retention job', () => {
      const withDocuments = Object.values(template.findResources('AWS::IAM::Role') as Resources).filter(
        (role) => (role.Properties.ManagedPolicyArns ?? []).length > 0,
      );
      const expected =
        handlerNames.filter((name) => httpAccess[name]?.documents).length +
        Object.values(scheduledJobs).filter((job) => job.access.documents).length;
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
      expect(scheduledJobs.sweeper?.schedule).toBe('rate(1 minute)');
    });

    it('lets a module job that reads cases through the repository decrypt the field keys (allowance lifecycle)', () => {
      const statements = statementsOf(template, 'Scheduled job allowance-lifecycle');
      const fieldKey = statements.filter((st) => JSON.stringify(st.Resource).includes('FieldKey'));
      expect(fieldKey.flatMap((st) => actionsOf([st]))).toEqual(['kms:Decrypt']);
    });

    it('runs document retention daily with the stage’s retention, able to delete documents but not read ID keys', () => {
      expect(scheduledJobs.retention?.schedule).toBe('cron(30 18 * * ? *)');
      const fn = functionNamed(template, 'Scheduled job retention');
      expect(fn.props.Environment.Variables).toMatchObject({
        DOCUMENT_RETENTION_DAYS: String(onestop.config.documentRetentionDays),
        DOCUMENTS_BUCKET: expect.anything(),
      });
      const statements = statementsOf(template, 'Scheduled job retention');
      expect(statements.filter((st) => JSON.stringify(st.Resource).includes('FieldKey'))).toEqual([]);
      const deleting = Object.values(
        onestop.statefulTemplate.findResources('AWS::IAM::ManagedPolicy') as Resources,
      ).filter((p) => JSON.stringify(p.Properties.PolicyDocument).includes('s3:DeleteObject'));
      expect(deleting).toHaveLength(1);
      expect(JSON.stringify(deleting[0]?.Properties.PolicyDocument)).not.toContain('s3:PutObject');
      const role = (template.findResources('AWS::IAM::Role') as Resources)[fn.props.Role['Fn::GetAtt'][0]];
      expect(role?.Properties.ManagedPolicyArns).toHaveLength(1);
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
            ContentSecurityPolicy: { ContentSecurityPolicy: Match.anyValue(), Override: true },
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
      // The CSP names the hosted-UI domains of the stateful stack, so it is a Fn::Join.
      const [policy] = Object.values(
        template.findResources('AWS::CloudFront::ResponseHeadersPolicy') as Resources,
      );
      const csp = render(
        policy?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy
          .ContentSecurityPolicy,
      );
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
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
      const config = deployedConfigJson(withConsole);
      expect(config).toMatchObject({
        auth: 'cognito',
        stage: 'dev',
        region: 'ap-southeast-1',
        citizenApiUrl: expect.stringMatching(/^<CitizenApi[0-9A-F]+\.ApiEndpoint>\/$/),
        staffApiUrl: expect.stringMatching(/^<StaffApi[0-9A-F]+\.ApiEndpoint>\/$/),
        citizenClientId: expect.stringMatching(/^<CitizenClient[0-9A-F]+>$/),
        staffClientId: expect.stringMatching(/^<StaffClient[0-9A-F]+>$/),
        citizenUserPoolId: expect.stringMatching(/CitizensPool[0-9A-F]+>$/),
        staffUserPoolId: expect.stringMatching(/StaffPool[0-9A-F]+>$/),
      });
      expect(config.citizenAuthDomain).toMatch(hostedUi('dev', 'Citizens'));
      expect(config.staffAuthDomain).toMatch(hostedUi('dev', 'Staff'));
    });

    it('caches the hashed build files for a year and revalidates index.html and config.json', () => {
      // Arrange
      const dist = mkdtempSync(join(tmpdir(), 'onestop-web-dist-'));
      writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Onestop</title>');

      // Act
      const withConsole = synthOnestop({ stage: 'dev' }, { consoleAssetDir: dist });

      // Assert: two uploads, each pruning only its own files
      const deployments = Object.values(
        withConsole.statelessTemplate.findResources('Custom::CDKBucketDeployment') as Resources,
      ).map((d) => d.Properties);
      expect(deployments).toHaveLength(2);
      const hashed = deployments.find((d) => !d.DistributionPaths)!;
      const entry = deployments.find((d) => d.DistributionPaths)!;
      expect(hashed).toMatchObject({
        Prune: true,
        Exclude: ['*'],
        Include: ['assets/*'],
        SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
      });
      expect(entry).toMatchObject({
        Prune: true,
        Exclude: ['assets/*'],
        SystemMetadata: { 'cache-control': 'no-cache' },
        DistributionPaths: ['/index.html', '/config.json'],
      });
      expect(entry.Include).toBeUndefined();
    });
  });

  describe('console sign-in (Cognito hosted UI)', () => {
    const clients = () =>
      Object.entries(template.findResources('AWS::Cognito::UserPoolClient') as Resources).map(([id, r]) => ({
        id,
        props: r.Properties,
      }));
    const clientOf = (audience: 'Citizen' | 'Staff') => {
      const found = clients().filter((c) => c.id.startsWith(`${audience}Client`));
      expect(found).toHaveLength(1);
      return found[0]!;
    };

    it('has one public app client per pool, in this stack next to the console', () => {
      expect(clients()).toHaveLength(2);
      expect(render(clientOf('Citizen').props.UserPoolId)).toMatch(/CitizensPool[0-9A-F]+>$/);
      expect(render(clientOf('Staff').props.UserPoolId)).toMatch(/StaffPool[0-9A-F]+>$/);
    });

    it.each(['Citizen', 'Staff'] as const)(
      'lets the %s client use only the code flow, with no secret, back to the console origin',
      (audience) => {
        const { props } = clientOf(audience);
        expect(props.AllowedOAuthFlowsUserPoolClient).toBe(true);
        expect(props.AllowedOAuthFlows).toEqual(['code']);
        expect(props.GenerateSecret).toBe(false);
        expect(props.AllowedOAuthScopes).toEqual(['openid', 'email', 'profile']);
        expect(props.SupportedIdentityProviders).toEqual(['COGNITO']);
        expect(props.CallbackURLs).toHaveLength(1);
        expect(render(props.CallbackURLs[0])).toMatch(
          /^https:\/\/<ConsoleCdn[0-9A-F]+\.DomainName>\/auth\/callback$/,
        );
        expect(render(props.CallbackURLs[0]).endsWith(CALLBACK_PATH)).toBe(true);
        expect((props.LogoutURLs as unknown[]).map(render)).toEqual([
          expect.stringMatching(/^https:\/\/<ConsoleCdn[0-9A-F]+\.DomainName>\/$/),
        ]);
      },
    );

    it('never lets staff write their own agency or township, but lets the ID token carry them', () => {
      const { props } = clientOf('Staff');
      expect(props.ReadAttributes).toEqual(expect.arrayContaining(['custom:agency', 'custom:township']));
      expect(props.WriteAttributes).toEqual(['name']);
    });

    it.each(['Citizen', 'Staff'] as const)(
      'gives the %s client a managed-login branding style (managed login shows no page without one)',
      (audience) => {
        template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
          ClientId: { Ref: clientOf(audience).id },
          UseCognitoProvidedValues: true,
        });
      },
    );

    it.each(['Citizen', 'Staff'] as const)(
      "makes the %s API's authorizer accept its console client",
      (audience) => {
        const apis = template.findResources('AWS::ApiGatewayV2::Api', {
          Properties: { Name: `onestop-prod-${audience.toLowerCase()}` },
        });
        template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
          ApiId: { Ref: Object.keys(apis)[0] },
          JwtConfiguration: Match.objectLike({ Audience: [{ Ref: clientOf(audience).id }] }),
        });
      },
    );

    it('lets the console fetch both hosted-UI token endpoints (CSP connect-src)', () => {
      const policies = Object.values(
        template.findResources('AWS::CloudFront::ResponseHeadersPolicy') as Resources,
      );
      expect(policies).toHaveLength(1);
      const csp = render(
        policies[0]!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy
          .ContentSecurityPolicy,
      );
      const connect = csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith('connect-src '));
      const sources = connect?.split(' ').slice(1) ?? [];
      expect(sources).toEqual(
        expect.arrayContaining([
          expect.stringMatching(hostedUi('prod', 'Citizens')),
          expect.stringMatching(hostedUi('prod', 'Staff')),
        ]),
      );
    });

    it('registers the custom domain as the callback when the console has one', () => {
      // Act
      const custom = synthOnestop({
        stage: 'prod',
        consoleDomain: 'onestop.example.cn',
        consoleCertificateArn:
          'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
      });

      // Assert
      const found = Object.values(
        custom.statelessTemplate.findResources('AWS::Cognito::UserPoolClient') as Resources,
      );
      expect(found).toHaveLength(2);
      for (const client of found) {
        expect(client.Properties.CallbackURLs).toEqual(['https://onestop.example.cn/auth/callback']);
        expect(client.Properties.LogoutURLs).toEqual(['https://onestop.example.cn/']);
      }
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
