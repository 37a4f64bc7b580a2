/**
 * One cold start, run by bench/cold-start.bench.ts in a fresh `node` per sample, as the Lambda
 * runtime does on init: import the handler bundle, then invoke it once. Plain JavaScript, so no
 * loader adds to the time. Prints one JSON line:
 *   initMs   process start (performance.timeOrigin) → the bundle imported (Node boot + init)
 *   firstMs  the first invocation: client construction, credential and endpoint resolution, the
 *            first requests to DynamoDB
 * Usage: node cold-start-child.mjs <bundle.mjs> <event JSON> <function name>
 */
import { pathToFileURL } from 'node:url';

const [bundle, eventJson, functionName] = process.argv.slice(2);
const event = JSON.parse(eventJson);
const context = {
  functionName,
  functionVersion: '$LATEST',
  awsRequestId: `bench-${process.pid}`,
  memoryLimitInMB: '512',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
};

const { handler } = await import(pathToFileURL(bundle).href);
const initMs = performance.now();
const result = await handler(event, context);
const firstMs = performance.now() - initMs;
const status = result?.statusCode;
const outcome = {
  initMs,
  firstMs,
  status,
  failures: result?.batchItemFailures?.length,
  // only an error's body, to say why a sample failed
  error: status >= 400 ? String(result.body).slice(0, 300) : undefined,
};
process.stdout.write(`${JSON.stringify(outcome)}\n`);
// Lambda freezes the sandbox after the answer; keep-alive sockets must not hold this process.
process.exit(0);
