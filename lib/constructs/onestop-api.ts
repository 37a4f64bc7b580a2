/**
 * One HTTP API built from the route table (functions/http/routes.ts) for one audience. An HTTP
 * API's JWT authorizer trusts exactly one issuer, so citizens and staff each get an API over the
 * same routes and functions, with a JWT authorizer on their own user pool (Cognito stages) or
 * on the OIDC provider the stage configuration names (issuer and audiences; the China stage):
 * every route with `auth: true` carries it, the `auth: false` ones (health, catalogue, spec)
 * none. Default stage with throttling and JSON access logs.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type HandlerName, routes } from '../../functions/http/routes.ts';
import type { OidcProvider, StageConfig } from '../config/stage-config.ts';
import { acknowledge } from './nag.ts';
import type { OnestopFunction } from './onestop-function.ts';
import type { UserDirectory } from './user-pools.ts';

export type Audience = 'citizen' | 'staff';

export interface OnestopApiProps {
  audience: Audience;
  /** whose tokens the API accepts: a Cognito pool's client, or an OIDC provider */
  directory: UserDirectory | { oidc: OidcProvider };
  functions: Record<HandlerName, OnestopFunction>;
  config: StageConfig;
  consoleOrigin: string;
}

/** Access-log line: request facts only, never tokens, claims or bodies. */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    time: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    route: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationLatencyMs: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
  }),
);

export class OnestopApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: OnestopApiProps) {
    super(scope, id);
    const { audience, config } = props;

    this.api = new HttpApi(this, 'Api', {
      apiName: `onestop-${config.stage}-${audience}`,
      description: `Onestop ${config.stage} API for ${audience} tokens`,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [props.consoleOrigin],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.DELETE],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'accept-language'],
        exposeHeaders: ['location'],
        maxAge: Duration.hours(1),
      },
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetentionDays as RetentionDays,
      removalPolicy: config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: config.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: accessLogFormat,
      },
    });

    const { directory } = props;
    const authorizer =
      'oidc' in directory
        ? new HttpJwtAuthorizer(`${audience}-jwt`, directory.oidc.issuer, {
            authorizerName: `${audience}-jwt`,
            jwtAudience: directory.oidc.audiences,
            identitySource: ['$request.header.Authorization'],
          })
        : new HttpUserPoolAuthorizer(`${audience}-jwt`, directory.pool, {
            authorizerName: `${audience}-jwt`,
            userPoolClients: [directory.client],
            identitySource: ['$request.header.Authorization'],
          });
    const integrations = new Map<HandlerName, HttpLambdaIntegration>();
    const integrationFor = (name: HandlerName) => {
      let integration = integrations.get(name);
      if (!integration) {
        const fn = props.functions[name];
        if (!fn) throw new Error(`no function for the route handler "${name}"`);
        // One invoke permission per function and API (for any of this API's routes), not one per
        // route: 170 per-route permissions pushed the stack past CloudFormation's 500 resources.
        // Each function still answers only the routes of its own handler module (routes.ts).
        integration = new HttpLambdaIntegration(`${name}-integration`, fn.fn, {
          scopePermissionToRoute: false,
        });
        integrations.set(name, integration);
      }
      return integration;
    };

    for (const route of routes) {
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrationFor(route.handler),
        ...(route.auth ? { authorizer } : {}),
      });
      if (!route.auth && created) {
        acknowledge(
          created,
          'AwsSolutions-APIG4',
          `${route.method} ${route.path} is public by design (routes.ts auth: false: "${route.summary}"); it serves no personal data and is throttled with the stage.`,
        );
      }
    }
  }

  get url(): string {
    return `${this.api.apiEndpoint}/`;
  }
}
