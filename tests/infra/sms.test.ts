/**
 * The SMS sender's infrastructure: only the notifier and the sweeper (which resumes its
 * unfinished deliveries) may send texts, only from the ONE configured origination identity and
 * the stack's configuration set, with ARNs CDK spells for the stack's partition; the spend
 * guard's alarms; and no SMS at all in the China stage (no End User Messaging SMS there).
 */
import { App, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { handlerNames } from '../../functions/http/routes.ts';
import { loadStageConfig, stageConfigSchema, stageDefaults } from '../../lib/config/stage-config.ts';
import { scheduledJobs } from '../../lib/function-catalog.ts';
import { smsResources } from '../../lib/stacks/stateless-stack.ts';
import { type SynthesizedOnestop, synthOnestop } from './synth.ts';

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

function roleOf(template: Template, description: string): string {
  const found = Object.values(
    template.findResources('AWS::Lambda::Function', {
      Properties: { Description: description },
    }) as Resources,
  );
  expect(found, description).toHaveLength(1);
  return found[0]!.Properties.Role['Fn::GetAtt'][0] as string;
}

function statementsOf(template: Template, description: string): Array<Record<string, any>> {
  const role = roleOf(template, description);
  return Object.values(template.findResources('AWS::IAM::Policy') as Resources)
    .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === role))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<Record<string, any>>);
}

const smsStatements = (statements: Array<Record<string, any>>) =>
  statements.filter((s) => JSON.stringify(s.Action).includes('sms-voice'));

function envOf(template: Template, description: string): Record<string, unknown> {
  const found = Object.values(
    template.findResources('AWS::Lambda::Function', {
      Properties: { Description: description },
    }) as Resources,
  );
  return found[0]!.Properties.Environment.Variables as Record<string, unknown>;
}

describe('SMS in the prod stage', () => {
  let onestop: SynthesizedOnestop;
  let template: Template;
  beforeAll(() => {
    onestop = synthOnestop({ stage: 'prod', account: '123456789012' });
    template = onestop.statelessTemplate;
  });

  it('lets the notifier send texts only from the one origination identity, through the configuration set', () => {
    const [statement, ...rest] = smsStatements(statementsOf(template, 'Stream consumer notifier'));
    expect(rest).toEqual([]);
    expect(statement?.Action).toBe('sms-voice:SendTextMessage');
    const resources = statement?.Resource as unknown[];
    expect(resources).toHaveLength(2);
    const text = JSON.stringify(resources);
    expect(text).toContain(`arn:${onestop.stateless.partition}:sms-voice:${onestop.stateless.region}:`);
    expect(text).toContain(':sender-id/ONESTOP/CN');
    expect(text).toContain(':configuration-set/onestop-prod-sms');
    expect(text).not.toContain('*');
  });

  it('spells the ARNs for the partition of the stack (no hard-coded arn:aws:)', () => {
    // Outside the app's feature flags CDK leaves the partition to CloudFormation: the ARN must
    // then carry AWS::Partition, which it does only if it is never spelled by hand.
    const app = new App();
    const config = { ...onestop.config, stage: 'prod' as const };
    for (const stack of [
      new Stack(app, 'China', { env: { account: '123456789012', region: 'cn-north-1' } }),
      new Stack(app, 'Agnostic'),
    ]) {
      const sms = smsResources(stack, config);
      if (sms?.provider !== 'aws') throw new Error('prod texts through End User Messaging SMS');
      const text = JSON.stringify(stack.resolve([sms.originationArn, sms.configurationSetArn]));
      expect(text).toContain('{"Ref":"AWS::Partition"}');
      expect(text).not.toContain('arn:aws:');
    }
  });

  it('gives the same grant to the sweeper (unfinished texts) and the progress lookup (codes), and to no other function', () => {
    const notifier = smsStatements(statementsOf(template, 'Stream consumer notifier'));
    expect(smsStatements(statementsOf(template, 'Scheduled job sweeper'))).toEqual(notifier);
    expect(smsStatements(statementsOf(template, 'HTTP handler progress'))).toEqual(notifier);
    for (const name of handlerNames.filter((n) => n !== 'progress'))
      expect(smsStatements(statementsOf(template, `HTTP handler ${name}`)), name).toEqual([]);
    for (const job of Object.keys(scheduledJobs).filter((j) => j !== 'sweeper'))
      expect(smsStatements(statementsOf(template, `Scheduled job ${job}`)), job).toEqual([]);
    expect(smsStatements(statementsOf(template, 'Stream consumer metrics'))).toEqual([]);
  });

  it("tells the notifier the sender, the configuration set and the day's cap", () => {
    const env = envOf(template, 'Stream consumer notifier');
    expect(env).toMatchObject({
      SMS_TRANSPORT: 'aws',
      SMS_CONFIGURATION_SET: 'onestop-prod-sms',
      SMS_DAILY_CAP: String(onestop.config.sms?.dailyCap),
      SMS_MAX_PRICE: '0.10',
    });
    expect(JSON.stringify(env.SMS_ORIGINATION_ARN)).toContain(':sender-id/ONESTOP/CN');
    template.hasResourceProperties('AWS::SMSVOICE::ConfigurationSet', {
      ConfigurationSetName: 'onestop-prod-sms',
    });
  });

  it('alarms near the day cap and at the month spend, to the ops topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources).map(
      (a) => a.Properties,
    );
    const volume = alarms.find((a) => a.AlarmName === 'onestop-prod-sms-volume');
    expect(volume).toMatchObject({
      Namespace: 'Onestop',
      MetricName: 'SmsSent',
      Dimensions: [{ Name: 'Stage', Value: 'prod' }],
      Statistic: 'Sum',
      Period: 86_400,
      Threshold: Math.floor((onestop.config.sms?.dailyCap ?? 0) * 0.8),
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(volume?.AlarmActions).toHaveLength(1);
    const spend = alarms.find((a) => a.AlarmName === 'onestop-prod-sms-spend');
    expect(spend).toMatchObject({
      Namespace: 'AWS/SMSVoice',
      MetricName: 'TextMessageMonthlySpend',
      Threshold: onestop.config.sms?.provider === 'aliyun' ? -1 : onestop.config.sms?.monthlySpendAlarmUsd,
    });
    expect(spend?.AlarmActions).toEqual(volume?.AlarmActions);
  });
});

describe('SMS in the China stage', () => {
  it('texts through Alibaba Cloud SMS, with no End User Messaging grant and only the volume alarm', () => {
    const onestop = synthOnestop({ stage: 'cn', account: '123456789012' });
    const template = onestop.statelessTemplate;
    expect(JSON.stringify(template.toJSON())).not.toContain('sms-voice:');
    expect(envOf(template, 'Stream consumer notifier')).toMatchObject({ SMS_TRANSPORT: 'aliyun' });
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources).map(
      (a) => a.Properties.AlarmName as string,
    );
    expect(names.filter((n) => n.includes('sms'))).toEqual(['onestop-cn-sms-volume']);
  });

  it('with `-c sms=off`: no secret, no grant, no alarm, and the notifier records texts as skipped', () => {
    const onestop = synthOnestop({ stage: 'cn', account: '123456789012', sms: 'off' });
    const template = onestop.statelessTemplate;
    expect(envOf(template, 'Stream consumer notifier')).toMatchObject({ SMS_TRANSPORT: 'off' });
    expect(JSON.stringify(template.toJSON())).not.toContain('ALIYUN_SMS');
    expect(JSON.stringify(onestop.statefulTemplate.toJSON())).not.toContain('SmsCredentials');
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources).map(
      (a) => a.Properties.AlarmName as string,
    );
    expect(names.filter((n) => n.includes('sms'))).toEqual([]);
  });

  it('refuses End User Messaging SMS in a China region, and `-c sms=off` turns SMS off', () => {
    const sms = {
      origination: { type: 'pool', id: 'pool-abc' },
      dailyCap: 10,
      monthlySpendAlarmUsd: 5,
    } as const;
    const cn = stageConfigSchema.safeParse({ ...stageDefaults.cn, sms });
    expect(cn.success).toBe(false);
    expect(cn.error?.issues.map((i) => i.path.join('.'))).toContain('sms');
    expect(loadStageConfig((key) => ({ stage: 'dev' })[key]).sms?.dailyCap).toBe(200);
    expect(loadStageConfig((key) => ({ stage: 'dev', sms: 'off' })[key]).sms).toBeUndefined();
  });
});
