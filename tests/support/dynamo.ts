/** A fresh table on the run's shared DynamoDB Local for each test file. */
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { makeDocumentClient } from '#adapters/dynamodb/client';
import { createTableInput } from '#adapters/dynamodb/table-schema';

let counter = 0;

export function dynamoEndpoint(): string {
  return inject('dynamodbEndpoint') ?? (process.env.DYNAMODB_ENDPOINT as string);
}

export async function freshTable(prefix = 'test') {
  const endpoint = dynamoEndpoint();
  const tableName = `${prefix}-${process.pid}-${Date.now()}-${++counter}`;
  const ddb = new DynamoDBClient({
    endpoint,
    region: 'ap-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ddb.send(new CreateTableCommand(createTableInput(tableName)));
  const doc = makeDocumentClient(endpoint);
  return {
    endpoint,
    tableName,
    doc,
    /** every item in the table (tests only; the service itself never scans) */
    async scanAll() {
      const out: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const res = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
        out.push(...(res.Items ?? []));
        start = res.LastEvaluatedKey;
      } while (start);
      return out;
    },
    async drop() {
      await ddb.send(new DeleteTableCommand({ TableName: tableName }));
      ddb.destroy();
    },
  };
}
