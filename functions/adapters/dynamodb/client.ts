/** One DynamoDB document client per process (cold start), pointed at DynamoDB Local when configured. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { optionalEnv } from '#shared/env';
import { sdkHttpTimeouts } from '../dependency-failure.ts';

export function makeDocumentClient(endpoint = optionalEnv('DYNAMODB_ENDPOINT')): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: optionalEnv('AWS_REGION', 'ap-east-1'),
    requestHandler: sdkHttpTimeouts(),
    ...(endpoint
      ? // DynamoDB Local answers lock timeouts under contention (InternalServerError) that the real
        // service never gives: the SDK's retry strategy gets a few more attempts against it.
        { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 8 }
      : {}),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
