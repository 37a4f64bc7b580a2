/**
 * CloudWatch alarms that page the ops topic: function errors and throttles, on-failure queue
 * depth, API 5xx, and SLA breaches (custom metric Onestop/SlaBreaches, dimension Stage, which
 * the sweeper emits in CloudWatch embedded metric format when it applies a breach timer).
 */
import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SmsConfig, StageConfig } from '../config/stage-config.ts';
import type { OnestopApi } from './onestop-api.ts';
import type { OnestopFunction } from './onestop-function.ts';

export const slaBreachMetric = {
  namespace: 'Onestop',
  metricName: 'SlaBreaches',
  dimension: 'Stage',
} as const;

/** Texts sent, as the notifier reports them (embedded metric format), by Stage. */
export const smsSentMetric = { namespace: 'Onestop', metricName: 'SmsSent', dimension: 'Stage' } as const;
/** End User Messaging SMS's own spend metric (USD this month, account and region). */
export const smsSpendMetric = { namespace: 'AWS/SMSVoice', metricName: 'TextMessageMonthlySpend' } as const;

export interface OpsAlarmsProps {
  config: StageConfig;
  topic: ITopic;
}

export class OpsAlarms extends Construct {
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: OpsAlarmsProps,
  ) {
    super(scope, id);
    this.action = new SnsAction(props.topic);
    this.add('sla-breaches', {
      metric: new Metric({
        namespace: slaBreachMetric.namespace,
        metricName: slaBreachMetric.metricName,
        dimensionsMap: { [slaBreachMetric.dimension]: props.config.stage },
        statistic: Stats.SUM,
        period: Duration.minutes(15),
      }),
      threshold: 1,
      description: 'A case or step passed its promised time (SLA). See the auditor dashboard.',
    });
  }

  /** Unhandled errors (handlers map domain errors to responses, so any is a bug) and throttles. */
  watchFunction(name: string, fn: OnestopFunction): void {
    const period = Duration.minutes(5);
    this.add(`${name}-errors`, {
      metric: fn.fn.metricErrors({ period, statistic: Stats.SUM }),
      threshold: 1,
      description: `Function ${name} failed (unhandled error or timeout).`,
    });
    this.add(`${name}-throttles`, {
      metric: fn.fn.metricThrottles({ period, statistic: Stats.SUM }),
      threshold: 1,
      description: `Function ${name} was throttled: account concurrency is exhausted.`,
    });
  }

  /** Any message in an on-failure queue is a stream record that was never processed. */
  watchQueue(name: string, queue: IQueue): void {
    this.add(`${name}-dlq-depth`, {
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: Stats.MAXIMUM,
      }),
      threshold: 1,
      description: `Stream records failed for good and wait in the ${name} on-failure queue.`,
    });
  }

  /**
   * The SMS spend guard's alarms (the day cap itself is enforced in code): the day's volume
   * reaching 80 % of the cap, and (End User Messaging SMS) the month's spend reaching the
   * configured amount.
   */
  watchSms(sms: SmsConfig): void {
    this.add('sms-volume', {
      metric: new Metric({
        namespace: smsSentMetric.namespace,
        metricName: smsSentMetric.metricName,
        dimensionsMap: { [smsSentMetric.dimension]: this.props.config.stage },
        statistic: Stats.SUM,
        period: Duration.days(1),
      }),
      threshold: Math.max(1, Math.floor(sms.dailyCap * 0.8)),
      description: `Texts sent today reached 80 % of the day's cap (${sms.dailyCap}); beyond the cap they are dead-lettered.`,
    });
    // Alibaba Cloud's spend is watched by the provider's own billing alerts (docs/deploy.md)
    if (sms.provider === 'aliyun') return;
    this.add('sms-spend', {
      metric: new Metric({
        namespace: smsSpendMetric.namespace,
        metricName: smsSpendMetric.metricName,
        statistic: Stats.MAXIMUM,
        period: Duration.hours(1),
      }),
      threshold: sms.monthlySpendAlarmUsd,
      description: `SMS spend this month reached ${sms.monthlySpendAlarmUsd} USD.`,
    });
  }

  watchApi(name: string, api: OnestopApi): void {
    this.add(`${name}-5xx`, {
      metric: api.api.metricServerError({ period: Duration.minutes(5), statistic: Stats.SUM }),
      threshold: 5,
      description: `The ${name} API answered 5xx at least 5 times in 5 minutes.`,
    });
  }

  private add(name: string, opts: { metric: IMetric; threshold: number; description: string }): Alarm {
    const alarm = new Alarm(this, name, {
      alarmName: `onestop-${this.props.config.stage}-${name}`,
      alarmDescription: opts.description,
      metric: opts.metric,
      threshold: opts.threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}
