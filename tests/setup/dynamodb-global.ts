/**
 * Vitest globalSetup for the integration project: ONE in-memory DynamoDB Local per test run, on
 * 127.0.0.1 and a port the OS picks, stopped when the run ends. Test files get its endpoint with
 * `inject('dynamodbEndpoint')` (see tests/support/dynamo.ts) and create their own uniquely named
 * tables, so files can run in parallel against it.
 *
 * DYNAMODB_ENDPOINT is deliberately not set here: globalSetup runs in the main Vitest process, so
 * it would leak into every project's workers (unit tests too) and let an accidental real client
 * reach a live database instead of failing.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const recent: string[] = [];
  const started = Date.now();
  const dynamo = await startDynamoDbLocal({
    // Quiet on success; startDynamoDbLocal puts the last lines into its error if start-up fails.
    log: (line) => {
      recent.push(line);
      if (recent.length > 50) recent.shift();
    },
  });
  project.provide('dynamodbEndpoint', dynamo.endpoint);
  console.log(
    `[dynamodb] in-memory DynamoDB Local for this run: ${dynamo.endpoint} (up in ${Date.now() - started} ms)`,
  );
  return async () => {
    await dynamo.stop();
  };
}
