/**
 * Which errors from a dependency (DynamoDB, S3, SES, KMS) mean "unavailable for now, retry later":
 * throttling, 5xx answers, timeouts and broken connections. The one list of throttling names
 * lives here; the error mapper turns every such failure into 503 with Retry-After, and the stats
 * repository's optimistic loop reads the throttling codes of transaction cancellations. Retrying
 * the call itself is the SDK's retry strategy's job, never a loop of ours on top of it.
 */
import { optionalEnv } from '#shared/env';

/**
 * Throttling: the SDK's own list of exception names (@smithy/core retry constants), SES's
 * `Throttling`, and the codes DynamoDB puts in a transaction's CancellationReasons.
 */
export const THROTTLING_NAMES: ReadonlySet<string> = new Set([
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
  // DynamoDB CancellationReasons codes
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

/** Service errors that say the service itself failed or timed out (whatever the status code). */
const UNAVAILABLE_NAMES: ReadonlySet<string> = new Set([
  'InternalServerError',
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'KMSInternalException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/** Socket-level failures: refused, reset, timed out, broken pipe, unreachable. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

interface SdkLikeError {
  name?: unknown;
  code?: unknown;
  cause?: unknown;
  errors?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** A throttling exception name or transaction cancellation code. */
export function isThrottling(nameOrError: unknown): boolean {
  if (typeof nameOrError === 'string') return THROTTLING_NAMES.has(nameOrError);
  const e = nameOrError as SdkLikeError | null;
  if (!e || typeof e !== 'object') return false;
  if (e.$metadata?.httpStatusCode === 429) return true;
  return typeof e.name === 'string' && THROTTLING_NAMES.has(e.name);
}

/**
 * True when `err` says a dependency is throttling, down, slow or unreachable, as opposed to a
 * bug or a refused request (4xx). Looks through `cause` and AggregateError's `errors`.
 */
export function isDependencyFailure(err: unknown, depth = 0): boolean {
  const e = err as SdkLikeError | null;
  if (!e || typeof e !== 'object' || depth > 5) return false;
  if (isThrottling(e)) return true;
  if (typeof e.name === 'string' && UNAVAILABLE_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) return true;
  if (e.$retryable) return true;
  if (e.cause !== undefined && isDependencyFailure(e.cause, depth + 1)) return true;
  return Array.isArray(e.errors) && e.errors.some((inner) => isDependencyFailure(inner, depth + 1));
}

/**
 * Every SDK client's HTTP timeouts (the object form of NodeHttpHandler's options), so that a
 * dependency that accepts connections but never answers (a frozen process, a hung call) fails
 * the attempt with a TimeoutError instead of holding the request; the SDK's retry strategy then
 * decides whether to try again.
 * - `socketTimeout`: the longest silence on a connected socket (SDK_REQUEST_TIMEOUT_MS, 5 s).
 *   Not `requestTimeout`: its clock (like `connectionTimeout`'s) starts before the request gets
 *   a socket from the pool, so a burst of concurrent requests queued behind 50 sockets timed
 *   out against a healthy store; and it only logs unless `throwOnRequestTimeout` is set.
 * - `connectionTimeout`: a host that never completes the TCP handshake (30 s: its clock includes
 *   the wait for a pooled socket, which a burst against a busy DynamoDB Local makes long).
 */
export function sdkHttpTimeouts() {
  return {
    connectionTimeout: 30_000,
    socketTimeout: Number(optionalEnv('SDK_REQUEST_TIMEOUT_MS', '5000')),
  };
}
