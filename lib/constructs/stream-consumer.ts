/**
 * A DynamoDB Streams consumer: an OnestopFunction plus its event-source mapping with partial
 * batch failures, bounded retries, batch bisection and an SQS on-failure destination that keeps
 * the records that never succeeded (14 days) for inspection and replay.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stage-config.ts';
import type { StreamConsumerSpec, StreamRecordFilter } from '../function-catalog.ts';
import { acknowledge } from './nag.ts';
import { type FunctionResources, OnestopFunction } from './onestop-function.ts';

export interface StreamConsumerProps {
  entry: string;
  description: string;
  spec: StreamConsumerSpec;
  table: ITable;
  config: StageConfig;
  resources: FunctionResources;
}

const recordFilters: Record<StreamRecordFilter, Array<Record<string, unknown>>> = {
  /** Events are the outbox (DESIGN §2): new items with type = event. */
  'event-inserts': [
    FilterCriteria.filter({
      eventName: FilterRule.isEqual('INSERT'),
      dynamodb: { NewImage: { type: { S: FilterRule.isEqual('event') } } },
    }),
  ],
  all: [],
};

export class StreamConsumer extends Construct {
  readonly handler: OnestopFunction;
  readonly onFailure: Queue;

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);
    const { spec, config } = props;
    this.handler = new OnestopFunction(this, 'Function', {
      entry: props.entry,
      description: props.description,
      config,
      resources: props.resources,
      access: spec.access,
      sizing: spec.sizing,
    });
    this.onFailure = new Queue(this, 'OnFailure', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.onFailure,
      'AwsSolutions-SQS3',
      'This queue is itself the on-failure destination of the stream consumer; it only receives metadata of batches that exhausted their retries and is watched by a depth alarm, so a further dead-letter queue would have nothing to catch.',
    );

    const filters = recordFilters[spec.filter];
    this.handler.fn.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: spec.batchSize,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: spec.retryAttempts,
        maxRecordAge: Duration.days(1),
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.onFailure),
        ...(filters.length > 0 ? { filters } : {}),
      }),
    );
    acknowledge(
      this.handler.role,
      'AwsSolutions-IAM5[Resource::*]',
      'dynamodb:ListStreams is added by the event-source grant (Table.grantStreamRead) and is not scoped by a table ARN; the read actions on the stream itself are scoped to this table’s stream ARN.',
    );
  }
}
