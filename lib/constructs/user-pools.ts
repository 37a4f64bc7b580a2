/**
 * The two Cognito user pools whose tokens the HTTP APIs' JWT authorizers accept, each with a
 * Cognito-prefix domain serving managed login (the hosted UI), and the console's app client of a
 * pool (`ConsoleClient`: authorization code grant with PKCE, no secret).
 * Citizens sign themselves up with e-mail or mobile; staff are invited by an admin, must use
 * TOTP MFA, get their role from a group (caseworker, auditor, admin) and their agency/township
 * from custom attributes that only admins can write. Both pools are retained: they hold accounts.
 */
import { Aws, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  ClientAttributes,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolClientOptions,
  type UserPoolDomain,
  UserPoolEmail,
  UserPoolGroup,
  type UserPoolProps,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stage-config.ts';
import { acknowledge } from './nag.ts';

/** Staff roles, highest precedence first: a user in several groups gets the first. */
export const staffGroups = [
  { name: 'admin', description: 'Administers reference data, calendars and staff' },
  { name: 'auditor', description: 'Sees aggregates and masked data only' },
  { name: 'caseworker', description: "Decides tasks in the queues of the user's agency (and township)" },
  {
    name: 'agent',
    description: "Files for families on a guardian's authorisation (代办); sees only own filings",
  },
] as const;

/** A pool and the app client whose tokens an API accepts (the JWT authorizer's audience). */
export interface UserDirectory {
  readonly pool: UserPool;
  readonly client: UserPoolClient;
}

/** What a pool's console client gets besides OAuth: token lifetimes, attribute access, API flows. */
export type ConsoleClientOptions = Omit<
  UserPoolClientOptions,
  'oAuth' | 'disableOAuth' | 'generateSecret' | 'supportedIdentityProviders'
>;

/** A pool with its hosted-UI domain and the options of its console client. */
export interface HostedUiDirectory {
  readonly pool: UserPool;
  readonly domain: UserPoolDomain;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`: /oauth2/authorize, /oauth2/token, /logout. */
  readonly authBaseUrl: string;
  readonly clientOptions: ConsoleClientOptions;
}

/** The console route that receives the authorization code; the web app's callback page. */
export const CALLBACK_PATH = '/auth/callback';

/**
 * Cognito prefix domains are unique across all accounts of a region, so a fixed name would
 * collide between two deployments. The prefix ends in the first 8 hex digits of this stack's
 * CloudFormation id (a UUID made when the stack is created): unique per account and region,
 * stable for the stack's life, and no parameter to pass. Lowercase hex cannot spell the words
 * Cognito reserves (aws, amazon, cognito); `onestop-<stage>-<name>-` + 8 stays far below 63.
 */
function hostedUiPrefix(config: StageConfig, name: string): string {
  const stackUuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
  return `onestop-${config.stage}-${name}-${Fn.select(0, Fn.split('-', stackUuid))}`;
}

/**
 * Managed login (version 2) rather than the classic hosted UI: only managed login honours the
 * `lang` parameter (zh-CN for this console), and both pools' plans (Essentials, Plus) include it.
 */
function addHostedUi(pool: UserPool, config: StageConfig, name: string): UserPoolDomain {
  return pool.addDomain('HostedUi', {
    cognitoDomain: { domainPrefix: hostedUiPrefix(config, name) },
    managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
  });
}

function sharedPoolProps(config: StageConfig, name: string): Partial<UserPoolProps> {
  const domain = config.mailFrom.split('@')[1] ?? config.mailFrom;
  return {
    userPoolName: `onestop-${config.stage}-${name}`,
    signInCaseSensitive: false,
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
    email: config.cognitoMailViaSes
      ? UserPoolEmail.withSES({
          fromEmail: config.mailFrom,
          sesVerifiedDomain: domain,
          sesRegion: config.region,
        })
      : UserPoolEmail.withCognito(),
  };
}

/** Parents: self sign-up, sign-in by e-mail or mainland mobile, optional TOTP. */
export class CitizenDirectory extends Construct implements HostedUiDirectory {
  readonly pool: UserPool;
  readonly domain: UserPoolDomain;
  readonly authBaseUrl: string;
  readonly clientOptions: ConsoleClientOptions = {
    authFlows: { userSrp: true },
    preventUserExistenceErrors: true,
    idTokenValidity: Duration.hours(1),
    accessTokenValidity: Duration.hours(1),
    refreshTokenValidity: Duration.days(30),
  };

  constructor(scope: Construct, id: string, config: StageConfig) {
    super(scope, id);
    this.pool = new UserPool(this, 'Pool', {
      ...sharedPoolProps(config, 'citizens'),
      selfSignUpEnabled: true,
      signInAliases: { email: true, phone: true },
      autoVerify: { email: true, phone: true },
      standardAttributes: {
        email: { required: false, mutable: true },
        phoneNumber: { required: false, mutable: true },
        fullname: { required: false, mutable: true },
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 10,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_AND_PHONE_WITHOUT_MFA,
      featurePlan: FeaturePlan.ESSENTIALS,
    });
    const smsRole = this.pool.node.tryFindChild('smsRole');
    if (smsRole) {
      acknowledge(
        smsRole,
        'AwsSolutions-IAM5[Resource::*]',
        'Cognito sends sign-up and recovery codes by SMS with sns:Publish straight to a phone number, which has no ARN to scope to; the role can only be assumed by Cognito with this pool’s external id.',
      );
    }
    this.domain = addHostedUi(this.pool, config, 'citizens');
    this.authBaseUrl = this.domain.baseUrl();

    acknowledge(
      this.pool,
      'AwsSolutions-COG2',
      'Parents apply once or twice in a child’s early years, often from a shared family phone; required MFA would turn away the citizens this one-trip service is for. TOTP MFA is offered (optional), sign-up verifies the e-mail or mobile, and a parent only ever sees their own applications.',
    );
    acknowledge(
      this.pool,
      'AwsSolutions-COG8',
      'Threat protection needs the Cognito Plus plan, billed per monthly active user with no free tier, which would be the largest cost per application (docs/deploy.md). The citizen pool relies on verified sign-up, strong passwords, API throttling and short-lived tokens; the staff pool, whose users reach other people’s data, runs Plus with threat protection enforced.',
    );
  }
}

/** Staff: invited only, TOTP MFA required, role by group, agency/township by admin-only attributes. */
export class StaffDirectory extends Construct implements HostedUiDirectory {
  readonly pool: UserPool;
  readonly domain: UserPoolDomain;
  readonly authBaseUrl: string;
  readonly groups: UserPoolGroup[];
  readonly clientOptions: ConsoleClientOptions = {
    authFlows: { userSrp: true },
    preventUserExistenceErrors: true,
    // Users may read their agency/township (the ID token carries them) but never write them: only
    // admins (AdminUpdateUserAttributes) can.
    readAttributes: new ClientAttributes()
      .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
      .withCustomAttributes('agency', 'township'),
    writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    idTokenValidity: Duration.minutes(30),
    accessTokenValidity: Duration.minutes(30),
    refreshTokenValidity: Duration.hours(10),
  };

  constructor(scope: Construct, id: string, config: StageConfig) {
    super(scope, id);
    this.pool = new UserPool(this, 'Pool', {
      ...sharedPoolProps(config, 'staff'),
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: true, mutable: true },
      },
      customAttributes: {
        agency: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
        township: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
    });
    this.groups = staffGroups.map(
      (group, index) =>
        new UserPoolGroup(this, `Group-${group.name}`, {
          userPool: this.pool,
          groupName: group.name,
          description: group.description,
          precedence: (index + 1) * 10,
        }),
    );
    this.domain = addHostedUi(this.pool, config, 'staff');
    this.authBaseUrl = this.domain.baseUrl();
  }
}

export interface ConsoleClientProps {
  directory: HostedUiDirectory;
  /** `https://<console domain>`: the only origin the hosted UI may redirect back to. */
  consoleOrigin: string;
}

/**
 * The console's app client of one pool: a public client (no secret) that may only use the
 * authorization code grant (the console always sends a PKCE S256 challenge; no implicit grant,
 * so tokens never travel in a URL), scopes openid/email/profile, and exactly one callback and one
 * logout URL on the console's origin. Managed login shows a page only for a client with a branding
 * style, so it gets Cognito's default style.
 */
export class ConsoleClient extends Construct implements UserDirectory {
  readonly pool: UserPool;
  readonly client: UserPoolClient;
  readonly callbackUrl: string;
  readonly logoutUrl: string;

  constructor(scope: Construct, id: string, props: ConsoleClientProps) {
    super(scope, id);
    const { directory, consoleOrigin } = props;
    this.pool = directory.pool;
    this.callbackUrl = `${consoleOrigin}${CALLBACK_PATH}`;
    this.logoutUrl = `${consoleOrigin}/`;
    this.client = new UserPoolClient(this, 'Client', {
      ...directory.clientOptions,
      userPool: directory.pool,
      generateSecret: false,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [this.callbackUrl],
        logoutUrls: [this.logoutUrl],
      },
    });
    new CfnManagedLoginBranding(this, 'Branding', {
      userPoolId: directory.pool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
  }
}
