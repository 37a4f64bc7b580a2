/**
 * The two Cognito user pools whose tokens the HTTP APIs' JWT authorizers accept.
 * Citizens sign themselves up with e-mail or mobile; staff are invited by an admin, must use
 * TOTP MFA, get their role from a group (caseworker, auditor, admin) and their agency/township
 * from custom attributes that only admins can write. Both are retained: they hold accounts.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
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
] as const;

export interface UserDirectory {
  readonly pool: UserPool;
  readonly client: UserPoolClient;
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
export class CitizenDirectory extends Construct implements UserDirectory {
  readonly pool: UserPool;
  readonly client: UserPoolClient;

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
    this.client = this.pool.addClient('Web', {
      authFlows: { userSrp: true },
      generateSecret: false,
      disableOAuth: true,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

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
export class StaffDirectory extends Construct implements UserDirectory {
  readonly pool: UserPool;
  readonly client: UserPoolClient;
  readonly groups: UserPoolGroup[];

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
    this.client = this.pool.addClient('Console', {
      authFlows: { userSrp: true },
      generateSecret: false,
      disableOAuth: true,
      preventUserExistenceErrors: true,
      // Users may read their agency/township but never write them: only admins (AdminUpdateUserAttributes) can.
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('agency', 'township'),
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
      idTokenValidity: Duration.minutes(30),
      accessTokenValidity: Duration.minutes(30),
      refreshTokenValidity: Duration.hours(10),
    });
  }
}
