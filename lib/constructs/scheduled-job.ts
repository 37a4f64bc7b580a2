/**
 * A scheduled job: an OnestopFunction invoked by an EventBridge rule. Async retries are off and
 * events older than a minute are dropped: the next run does the same work (each job continues
 * where the last run stopped), so a retry would only overlap it.
 */
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stage-config.ts';
import type { ScheduledJobSpec } from '../function-catalog.ts';
import { type FunctionResources, OnestopFunction } from './onestop-function.ts';

export interface ScheduledJobProps {
  entry: string;
  description: string;
  spec: ScheduledJobSpec;
  config: StageConfig;
  resources: FunctionResources;
}

export class ScheduledJob extends Construct {
  readonly handler: OnestopFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    this.handler = new OnestopFunction(this, 'Function', {
      entry: props.entry,
      description: props.description,
      config: props.config,
      resources: props.resources,
      access: props.spec.access,
      sizing: props.spec.sizing,
      ...(props.spec.environment ? { environment: props.spec.environment(props.config) } : {}),
    });
    this.handler.fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });
    this.rule = new Rule(this, 'Schedule', {
      description: `Onestop ${props.config.stage}: ${props.description}`,
      schedule: Schedule.expression(props.spec.schedule),
      targets: [new LambdaFunction(this.handler.fn, { retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
    });
  }
}
