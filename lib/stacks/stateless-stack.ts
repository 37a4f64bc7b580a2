/**
 * Everything that can be destroyed and redeployed without losing data: one function per HTTP
 * handler module of the route table, the stream consumers and scheduled jobs of the function
 * catalog, the two HTTP APIs (citizen and staff tokens), the console with its two Cognito app
 * clients (hosted-UI sign-in) and the alarms.
 */
import { existsSync } from 'node:fs';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type HandlerName, handlerEntry, handlerNames } from '../../functions/http/routes.ts';
import type { StageConfig } from '../config/stage-config.ts';
import { ConsoleSite } from '../constructs/console-site.ts';
import { OnestopApi } from '../constructs/onestop-api.ts';
import { type FunctionResources, OnestopFunction } from '../constructs/onestop-function.ts';
import { OpsAlarms } from '../constructs/ops-alarms.ts';
import { ScheduledJob } from '../constructs/scheduled-job.ts';
import { StreamConsumer } from '../constructs/stream-consumer.ts';
import { ConsoleClient } from '../constructs/user-pools.ts';
import {
  defaultHttpAccess,
  httpAccess,
  httpSizing,
  type ScheduledHandlerName,
  type StreamHandlerName,
  scheduledJobs,
  streamConsumers,
} from '../function-catalog.ts';
import type { StatefulStack } from './stateful-stack.ts';

export interface StatelessStackProps extends StackProps {
  config: StageConfig;
  stateful: StatefulStack;
  /** The built console (web/dist); deployed only when given and present. */
  consoleAssetDir?: string | undefined;
}

export class StatelessStack extends Stack {
  readonly httpFunctions: Record<HandlerName, OnestopFunction>;
  readonly streamConsumers: Record<StreamHandlerName, StreamConsumer>;
  readonly scheduledJobs: Record<ScheduledHandlerName, ScheduledJob>;
  readonly citizenApi: OnestopApi;
  readonly staffApi: OnestopApi;
  readonly console: ConsoleSite;
  readonly citizenClient: ConsoleClient;
  readonly staffClient: ConsoleClient;
  readonly alarms: OpsAlarms;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;

    this.console = new ConsoleSite(this, 'Console', {
      config,
      accessLogs: stateful.accessLogs,
      authOrigins: [stateful.citizens.authBaseUrl, stateful.staff.authBaseUrl],
    });
    // The console's app clients live here, next to the console, not beside their pools: their
    // callback and logout URLs are the console's origin, which without a custom domain is the
    // CloudFront domain that exists only in this stack. Creating them in the stateful stack would
    // need a stateful → stateless reference (a cycle, as this stack already reads the stateful
    // one); Cognito refuses wildcard callback URLs, and consoleDomain alone would leave a stage
    // without a custom domain unable to sign in. A client holds no data (deleting one keeps every
    // account), so it is as rebuildable as everything else in this stack.
    this.citizenClient = new ConsoleClient(this, 'CitizenClient', {
      directory: stateful.citizens,
      consoleOrigin: this.console.origin,
    });
    this.staffClient = new ConsoleClient(this, 'StaffClient', {
      directory: stateful.staff,
      consoleOrigin: this.console.origin,
    });
    const resources: FunctionResources = {
      table: stateful.table,
      fieldKey: stateful.fieldKey,
      documents: { bucket: stateful.documents, access: stateful.documentsAccess },
      mail: { from: config.mailFrom, configurationSetName: stateful.configurationSet.configurationSetName },
      consoleOrigin: this.console.origin,
    };

    // Handlers tell parents from staff by the token's issuer: each API accepts one pool's tokens.
    const issuers = {
      CITIZEN_ISSUER: issuerOf(stateful.citizens.pool.userPoolId, this),
      STAFF_ISSUER: issuerOf(stateful.staff.pool.userPoolId, this),
    };
    this.httpFunctions = Object.fromEntries(
      handlerNames.map((name) => [
        name,
        new OnestopFunction(this, `Http-${name}`, {
          entry: handlerEntry.http(name),
          description: `HTTP handler ${name}`,
          config,
          resources,
          access: httpAccess[name] ?? defaultHttpAccess,
          sizing: httpSizing,
          environment: issuers,
        }),
      ]),
    ) as Record<HandlerName, OnestopFunction>;

    this.streamConsumers = mapEntries(
      streamConsumers,
      (name, spec) =>
        new StreamConsumer(this, `Stream-${name}`, {
          entry: handlerEntry.stream(name),
          description: `Stream consumer ${name}`,
          spec,
          table: stateful.table,
          config,
          resources,
        }),
    );

    this.scheduledJobs = mapEntries(
      scheduledJobs,
      (name, spec) =>
        new ScheduledJob(this, `Scheduled-${name}`, {
          entry: handlerEntry.scheduled(name),
          description: `Scheduled job ${name}`,
          spec,
          config,
          resources,
        }),
    );

    const apiProps = { functions: this.httpFunctions, config, consoleOrigin: this.console.origin };
    this.citizenApi = new OnestopApi(this, 'CitizenApi', {
      ...apiProps,
      audience: 'citizen',
      directory: this.citizenClient,
    });
    this.staffApi = new OnestopApi(this, 'StaffApi', {
      ...apiProps,
      audience: 'staff',
      directory: this.staffClient,
    });

    this.alarms = new OpsAlarms(this, 'Alarms', { config, topic: stateful.opsTopic });
    for (const [name, fn] of Object.entries(this.httpFunctions))
      this.alarms.watchFunction(`http-${name}`, fn);
    for (const [name, consumer] of Object.entries(this.streamConsumers)) {
      this.alarms.watchFunction(`stream-${name}`, consumer.handler);
      this.alarms.watchQueue(`stream-${name}`, consumer.onFailure);
    }
    for (const [name, job] of Object.entries(this.scheduledJobs))
      this.alarms.watchFunction(`scheduled-${name}`, job.handler);
    this.alarms.watchApi('citizen-api', this.citizenApi);
    this.alarms.watchApi('staff-api', this.staffApi);

    if (props.consoleAssetDir && existsSync(props.consoleAssetDir)) {
      // Read by web/src/auth/config.ts; `auth: 'cognito'` switches the console to hosted-UI sign-in.
      this.console.deploy(props.consoleAssetDir, {
        auth: 'cognito',
        stage: config.stage,
        region: this.region,
        citizenApiUrl: this.citizenApi.url,
        staffApiUrl: this.staffApi.url,
        citizenUserPoolId: stateful.citizens.pool.userPoolId,
        citizenClientId: this.citizenClient.client.userPoolClientId,
        citizenAuthDomain: stateful.citizens.authBaseUrl,
        staffUserPoolId: stateful.staff.pool.userPoolId,
        staffClientId: this.staffClient.client.userPoolClientId,
        staffAuthDomain: stateful.staff.authBaseUrl,
      });
    }

    new CfnOutput(this, 'ConsoleUrl', { value: this.console.origin });
    new CfnOutput(this, 'CitizenApiUrl', { value: this.citizenApi.url });
    new CfnOutput(this, 'StaffApiUrl', { value: this.staffApi.url });
    new CfnOutput(this, 'CitizenClientId', { value: this.citizenClient.client.userPoolClientId });
    new CfnOutput(this, 'StaffClientId', { value: this.staffClient.client.userPoolClientId });
    new CfnOutput(this, 'AuthCallbackUrl', { value: this.citizenClient.callbackUrl });
  }
}

/** The `iss` claim of a Cognito user pool's tokens, spelled as HttpUserPoolAuthorizer spells it. */
function issuerOf(userPoolId: string, stack: Stack): string {
  return `https://cognito-idp.${stack.region}.amazonaws.com/${userPoolId}`;
}

function mapEntries<K extends string, V, R>(record: Record<K, V>, fn: (key: K, value: V) => R): Record<K, R> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(k as K, v as V)])) as Record<K, R>;
}
