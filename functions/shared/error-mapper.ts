/**
 * The one table from domain errors to HTTP status, and the error body shape of DESIGN §8:
 * `{ error: { code, message, messages, fields?, requestId } }`. A dependency that throttles, fails
 * or does not answer (DynamoDB, S3, SES, KMS) becomes 503 with Retry-After; unknown errors become
 * a generic 500 with the request id; an error object is never serialised into a response.
 */
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { isDependencyFailure, isThrottling } from '#adapters/dependency-failure';
import {
  BadRequestError,
  DomainError,
  DuplicateApplicationError,
  ForbiddenError,
  IdempotencyConflictError,
  InvalidStateError,
  NotFoundError,
  PayloadTooLargeError,
  PoolContentionError,
  RateLimitedError,
  RoundDrawConflictError,
  SlotsExhaustedError,
  UnauthenticatedError,
  ValidationError,
  VersionConflictError,
} from '#core/errors';
import { type Lang, t } from '#core/i18n';
import { logger } from './logger.ts';

const STATUS: Array<[abstract new (...args: never[]) => DomainError, number]> = [
  [ValidationError, 400],
  [BadRequestError, 400],
  [UnauthenticatedError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [VersionConflictError, 409],
  [InvalidStateError, 409],
  [IdempotencyConflictError, 409],
  [DuplicateApplicationError, 409],
  [SlotsExhaustedError, 409],
  [PoolContentionError, 409],
  [RoundDrawConflictError, 409],
  [PayloadTooLargeError, 413],
  [RateLimitedError, 429],
];

/** Seconds a client should wait before retrying: a throttled store recovers fast, an outage not. */
const RETRY_AFTER = { throttled: 1, unavailable: 5 } as const;

export function statusOf(err: DomainError): number {
  for (const [cls, status] of STATUS) if (err instanceof cls) return status;
  return 400;
}

export function errorResponse(err: unknown, lang: Lang, requestId: string): APIGatewayProxyResultV2 {
  if (err instanceof DomainError) {
    const status = statusOf(err);
    const fields =
      err instanceof ValidationError
        ? err.fields.map((f) => ({
            path: f.path,
            code: f.code,
            message: f.message[lang],
            messages: f.message,
          }))
        : undefined;
    return json(
      status,
      { error: { code: err.code, message: err.text[lang], messages: err.text, fields, requestId } },
      err instanceof RateLimitedError ? { 'retry-after': String(err.retryAfterSeconds) } : {},
    );
  }
  // A dependency is throttling, down or not answering: tell the client to retry, never a bare 500.
  if (isDependencyFailure(err)) return unavailable(err, lang, requestId);
  // middy's own http errors (e.g. from @middy packages) carry statusCode < 500 and are safe to expose
  const status = (err as { statusCode?: number })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const text = t('请求无效', 'Invalid request');
    return json(status, { error: { code: 'BAD_REQUEST', message: text[lang], messages: text, requestId } });
  }
  logger.error('unhandled error', {
    requestId,
    name: (err as Error)?.name,
    message: (err as Error)?.message,
    stack: (err as Error)?.stack,
  });
  const text = t(
    `服务暂时不可用，请稍后重试（编号 ${requestId}）`,
    `Something went wrong; please retry (reference ${requestId})`,
  );
  return json(500, { error: { code: 'INTERNAL', message: text[lang], messages: text, requestId } });
}

function unavailable(err: unknown, lang: Lang, requestId: string): APIGatewayProxyResultV2 {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const throttled = isThrottling(err);
  logger.warn(throttled ? 'dependency busy' : 'dependency unavailable', {
    requestId,
    name: e?.name,
    code: e?.code,
    status: e?.$metadata?.httpStatusCode,
  });
  const text = throttled
    ? t('系统繁忙，请稍后重试', 'The service is busy; please retry shortly')
    : t(
        '服务暂时不可用，请稍后重试；已提交的内容不受影响',
        'The service is temporarily unavailable; please retry shortly. Nothing already saved is affected',
      );
  return json(
    503,
    {
      error: {
        code: throttled ? 'SERVICE_BUSY' : 'SERVICE_UNAVAILABLE',
        message: text[lang],
        messages: text,
        requestId,
      },
    },
    { 'retry-after': String(throttled ? RETRY_AFTER.throttled : RETRY_AFTER.unavailable) },
  );
}

function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}
