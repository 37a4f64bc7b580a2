/**
 * cdk-nag acknowledgements (v3: CDK's native `Validations.acknowledge`). Every acknowledgement
 * names one rule (or one finding of it) and says why it does not apply here; the cdk-nag test
 * rejects vague reasons.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Acknowledges `rule` (e.g. `AwsSolutions-S1`) or one finding of it (`AwsSolutions-IAM5[Resource::*]`). */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}
