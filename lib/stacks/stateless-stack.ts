/**
 * Everything that can be destroyed and redeployed without losing data: one function per HTTP
 * handler module of the route table, the stream consumers and scheduled jobs of the function
 * catalog, the two HTTP APIs (citizen and staff tokens), the console with its two Cognito app
 * clients (hosted-UI sign-in) and the alarms. With an OIDC identity (the China stage) the APIs
 * trust the configured providers and there are no app clients here: the providers register the
 * console's clients.
 */
import { existsSync } from 'node:fs';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnConfigurationSet } from 'aws-cdk-lib/aws-smsvoice';
import type { Construct } from 'constructs';
import { type HandlerName, handlerEntry, handlerNames } from '../../functions/http/routes.ts';
import type { OidcProvider, StageConfig } from '../config/stage-config.ts';
import { ConsoleSite } from '../constructs/console-site.ts';
import { OnestopApi } from '../constructs/onestop-api.ts';
import {
  type FunctionResources,
  type MailResources,
  OnestopFunction,
  type SmsResources,
} from '../constructs/onestop-function.ts';
import { OpsAlarms } from '../constructs/ops-alarms.ts';
import { ScheduledJob } from '../constructs/scheduled-job.ts';
import { StreamConsumer } from '../constructs/stream-consumer.ts';
import { CALLBACK_PATH, ConsoleClient } from '../constructs/user-pools.ts';
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
  /** Cognito stages only. */
  readonly citizenClient?: ConsoleClient;
  readonly staffClient?: ConsoleClient;
  readonly alarms: OpsAlarms;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;

    const oidc = config.identity.kind === 'oidc' ? config.identity : undefined;
    const pools =
      stateful.citizens && stateful.staff
        ? { citizens: stateful.citizens, staff: stateful.staff }
        : undefined;
    this.console = new ConsoleSite(this, 'Console', {
      config,
      accessLogs: stateful.accessLogs,
      authOrigins: oidc
        ? [...new Set([new URL(oidc.citizens.issuer).origin, new URL(oidc.staff.issuer).origin])]
        : pools
          ? [pools.citizens.authBaseUrl, pools.staff.authBaseUrl]
          : [],
    });
    // The console's app clients live here, next to the console, not beside their pools: their
    // callback and logout URLs are the console's origin, which without a custom domain is the
    // CloudFront domain that exists only in this stack. Creating them in the stateful stack would
    // need a stateful → stateless reference (a cycle, as this stack already reads the stateful
    // one); Cognito refuses wildcard callback URLs, and consoleDomain alone would leave a stage
    // without a custom domain unable to sign in. A client holds no data (deleting one keeps every
    // account), so it is as rebuildable as everything else in this stack.
    if (pools) {
      this.citizenClient = new ConsoleClient(this, 'CitizenClient', {
        directory: pools.citizens,
        consoleOrigin: this.console.origin,
      });
      this.staffClient = new ConsoleClient(this, 'StaffClient', {
        directory: pools.staff,
        consoleOrigin: this.console.origin,
      });
    }
    const resources: FunctionResources = {
      table: stateful.table,
      fieldKey: stateful.fieldKey,
      documents: { bucket: stateful.documents, access: stateful.documentsAccess },
      mail: mailResources(config, stateful),
      sms: smsResources(this, config, stateful),
      consoleOrigin: this.console.origin,
    };

    // Handlers tell parents from staff by the token's issuer: each API accepts one issuer's tokens.
    const issuers: Record<string, string> = oidc
      ? {
          CITIZEN_ISSUER: oidc.citizens.issuer,
          STAFF_ISSUER: oidc.staff.issuer,
          STAFF_ROLE_CLAIM: oidc.claims.role,
          AGENCY_CLAIM: oidc.claims.agency,
          TOWNSHIP_CLAIM: oidc.claims.township,
        }
      : pools
        ? {
            CITIZEN_ISSUER: issuerOf(pools.citizens.pool.userPoolId, this),
            STAFF_ISSUER: issuerOf(pools.staff.pool.userPoolId, this),
          }
        : {};
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
    const directoryOf = (client: ConsoleClient | undefined, provider: OidcProvider | undefined) => {
      if (provider) return { oidc: provider };
      if (client) return client;
      throw new Error('no identity provider for the API');
    };
    this.citizenApi = new OnestopApi(this, 'CitizenApi', {
      ...apiProps,
      audience: 'citizen',
      directory: directoryOf(this.citizenClient, oidc?.citizens),
    });
    this.staffApi = new OnestopApi(this, 'StaffApi', {
      ...apiProps,
      audience: 'staff',
      directory: directoryOf(this.staffClient, oidc?.staff),
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
    if (config.sms) this.alarms.watchSms(config.sms);

    if (props.consoleAssetDir && existsSync(props.consoleAssetDir)) {
      // Read by web/src/auth/config.ts; `auth: 'cognito'` switches the console to hosted-UI
      // sign-in, `auth: 'oidc'` to the configured providers (discovery from each issuer).
      this.console.deploy(
        props.consoleAssetDir,
        oidc
          ? {
              auth: 'oidc',
              stage: config.stage,
              region: this.region,
              citizenApiUrl: this.citizenApi.url,
              staffApiUrl: this.staffApi.url,
              citizenIssuer: oidc.citizens.issuer,
              citizenClientId: oidc.citizens.clientId,
              citizenScopes: oidc.citizens.scopes.join(' '),
              staffIssuer: oidc.staff.issuer,
              staffClientId: oidc.staff.clientId,
              staffScopes: oidc.staff.scopes.join(' '),
              roleClaim: oidc.claims.role,
              agencyClaim: oidc.claims.agency,
              townshipClaim: oidc.claims.township,
            }
          : {
              auth: 'cognito',
              stage: config.stage,
              region: this.region,
              citizenApiUrl: this.citizenApi.url,
              staffApiUrl: this.staffApi.url,
              citizenUserPoolId: pools?.citizens.pool.userPoolId ?? '',
              citizenClientId: this.citizenClient?.client.userPoolClientId ?? '',
              citizenAuthDomain: pools?.citizens.authBaseUrl ?? '',
              staffUserPoolId: pools?.staff.pool.userPoolId ?? '',
              staffClientId: this.staffClient?.client.userPoolClientId ?? '',
              staffAuthDomain: pools?.staff.authBaseUrl ?? '',
            },
      );
    }

    new CfnOutput(this, 'ConsoleUrl', { value: this.console.origin });
    new CfnOutput(this, 'CitizenApiUrl', { value: this.citizenApi.url });
    new CfnOutput(this, 'StaffApiUrl', { value: this.staffApi.url });
    if (this.citizenClient && this.staffClient) {
      new CfnOutput(this, 'CitizenClientId', { value: this.citizenClient.client.userPoolClientId });
      new CfnOutput(this, 'StaffClientId', { value: this.staffClient.client.userPoolClientId });
      new CfnOutput(this, 'AuthCallbackUrl', { value: this.citizenClient.callbackUrl });
    } else {
      new CfnOutput(this, 'AuthCallbackUrl', {
        value: `${this.console.origin}${CALLBACK_PATH}`,
        description: 'Register this redirect URI with both OIDC providers',
      });
    }
  }
}

/** SES with the stack's configuration set, or the SMTP relay with its credentials secret. */
function mailResources(config: StageConfig, stateful: StatefulStack): MailResources {
  if (config.mail.transport === 'smtp') {
    if (!stateful.smtpCredentials) throw new Error('an SMTP stage needs the relay credentials secret');
    const { host, port, tls } = config.mail;
    return {
      transport: 'smtp',
      from: config.mailFrom,
      host,
      port,
      tls,
      credentials: stateful.smtpCredentials,
    };
  }
  if (!stateful.configurationSet) throw new Error('an SES stage needs the configuration set');
  return {
    transport: 'ses',
    from: config.mailFrom,
    configurationSetName: stateful.configurationSet.configurationSetName,
  };
}

/**
 * End User Messaging SMS: the ARN of the ONE configured origination identity (spelled by CDK
 * for the stack's partition) and a configuration set of the stack's own. Alibaba Cloud SMS (the
 * China stage): its settings and the stateful stack's AccessKey secret.
 */
export function smsResources(
  stack: Stack,
  config: StageConfig,
  stateful?: StatefulStack,
): SmsResources | undefined {
  const sms = config.sms;
  if (!sms) return undefined;
  if (sms.provider === 'aliyun') {
    // Alibaba Cloud SMS: the provider's settings and the secret holding its AccessKey
    if (!stateful?.smsCredentials) throw new Error('an Alibaba Cloud SMS stage needs the AccessKey secret');
    return {
      provider: 'aliyun',
      endpoint: sms.endpoint,
      region: sms.region,
      signName: sms.signName,
      templates: sms.templates,
      credentials: stateful.smsCredentials,
      dailyCap: sms.dailyCap,
    };
  }
  const o = sms.origination;
  const arn = (resource: string, resourceName: string) =>
    stack.formatArn({ service: 'sms-voice', resource, resourceName });
  const originationArn =
    o.type === 'sender-id' ? arn('sender-id', `${o.senderId}/${o.country}`) : arn(o.type, o.id);
  const set = new CfnConfigurationSet(stack, 'SmsConfigurationSet', {
    configurationSetName: `onestop-${config.stage}-sms`,
  });
  const configurationSetName = set.configurationSetName ?? `onestop-${config.stage}-sms`;
  return {
    provider: 'aws',
    originationArn,
    configurationSetName,
    configurationSetArn: arn('configuration-set', configurationSetName),
    dailyCap: sms.dailyCap,
    maxPriceUsd: sms.maxPriceUsd,
  };
}

/** The `iss` claim of a Cognito user pool's tokens, spelled as HttpUserPoolAuthorizer spells it. */
function issuerOf(userPoolId: string, stack: Stack): string {
  return `https://cognito-idp.${stack.region}.amazonaws.com/${userPoolId}`;
}

function mapEntries<K extends string, V, R>(record: Record<K, V>, fn: (key: K, value: V) => R): Record<K, R> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(k as K, v as V)])) as Record<K, R>;
}
