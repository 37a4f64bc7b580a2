/**
 * The one table from domain errors to HTTP status, and the error body shape of DESIGN §8:
 * `{ error: { code, message, messages, fields?, requestId } }`. Unknown errors become a generic
 * 500 with the request id; an error object is never serialised into a response.
 */
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
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

const THROTTLED = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'InternalServerError',
  'ServiceUnavailable',
]);

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
    return json(status, {
      error: { code: err.code, message: err.text[lang], messages: err.text, fields, requestId },
    });
  }
  // The store is throttling or briefly unavailable: tell the client to retry, never a bare 500.
  const name = (err as { name?: string })?.name ?? '';
  if (THROTTLED.has(name) || (err as { $retryable?: unknown })?.$retryable) {
    logger.warn('store busy', { requestId, name });
    const text = t('系统繁忙，请稍后重试', 'The service is busy; please retry shortly');
    return json(
      503,
      { error: { code: 'SERVICE_BUSY', message: text[lang], messages: text, requestId } },
      { 'retry-after': '1' },
    );
  }
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
