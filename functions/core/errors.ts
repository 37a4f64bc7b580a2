/**
 * The domain error taxonomy. Each error has a stable `code` and a bilingual message; the HTTP
 * edge maps classes to status codes in one table (functions/shared/error-mapper.ts).
 */
import { type I18nText, t } from './i18n.ts';

export interface FieldError {
  path: string;
  code: string;
  message: I18nText;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly text: I18nText;
  constructor(text: I18nText) {
    super(text.en);
    this.text = text;
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  constructor(
    readonly fields: FieldError[],
    text: I18nText = t('输入有误，请检查标注的字段', 'The input is invalid; check the listed fields'),
  ) {
    super(text);
  }
}

export class BadRequestError extends DomainError {
  constructor(
    readonly code: string,
    text: I18nText,
  ) {
    super(text);
  }
}

export class PayloadTooLargeError extends DomainError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED';
  constructor(text: I18nText = t('需要登录', 'Sign-in required')) {
    super(text);
  }
}

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
  constructor(text: I18nText = t('无权执行此操作', 'You are not allowed to do this')) {
    super(text);
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(text: I18nText = t('未找到', 'Not found')) {
    super(text);
  }
}

/** A lost optimistic-locking race: somebody changed the application first. */
export class VersionConflictError extends DomainError {
  readonly code = 'VERSION_CONFLICT';
  constructor(
    text: I18nText = t(
      '该申请已被他人更新，请刷新后重试',
      'The application was changed by someone else; reload and retry',
    ),
  ) {
    super(text);
  }
}

/** The action does not fit the current state (e.g. deciding a step that is not open). */
export class InvalidStateError extends DomainError {
  readonly code = 'INVALID_STATE';
}

// InvalidStateError fixes `code` to a literal type; seen as a plain DomainError constructor a
// subclass may carry its own code while `instanceof InvalidStateError` (→ 409) still holds.
const InvalidStateBase = InvalidStateError as unknown as new (text: I18nText) => DomainError;

/** An InvalidStateError (409) with a stable, more precise code, e.g. TOO_MANY_DOCUMENTS. */
export class StateConflictError extends InvalidStateBase {
  override readonly code: string;
  constructor(code: string, text: I18nText) {
    super(text);
    this.code = code;
  }
}

export class IdempotencyConflictError extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor() {
    super(
      t(
        '该幂等键已用于另一份不同的申请',
        'This Idempotency-Key was already used for a different request body',
      ),
    );
  }
}

export class RateLimitedError extends DomainError {
  readonly code = 'RATE_LIMITED';
  /** seconds until the limit's window ends (the Retry-After header) */
  constructor(readonly retryAfterSeconds: number) {
    super(
      t(
        `请求过于频繁，请 ${retryAfterSeconds} 秒后再试`,
        `Too many requests; try again in ${retryAfterSeconds} s`,
      ),
    );
  }
}

/** Another application already holds this unique value (e.g. the same child's open registration). */
export class DuplicateApplicationError extends DomainError {
  readonly code = 'DUPLICATE_APPLICATION';
  constructor(
    readonly path: string,
    text: I18nText = t(
      '已有相同证件号的进行中申请或已占有的名额',
      'An open application or a held place exists already for the same ID number',
    ),
  ) {
    super(text);
  }
}

/**
 * A place could not be taken: the pool filled up (or gained a waitlist) between the read and
 * the write. The use case re-reads the pools and runs the step again; it reaches HTTP only when
 * that keeps failing.
 */
export class SlotsExhaustedError extends DomainError {
  readonly code = 'SLOTS_EXHAUSTED';
  constructor(
    readonly pool: { org: string; pool: string },
    text: I18nText = t('名额刚刚被占满，请重试', 'The last place was just taken; please retry'),
  ) {
    super(text);
  }
}

/**
 * A round draw was refused because another draw holds the round (`ROUND_DRAW_IN_PROGRESS`) or it
 * was drawn already (`ROUND_ALREADY_DRAWN`): only one draw ever runs.
 */
export class RoundDrawConflictError extends DomainError {
  constructor(
    readonly code: 'ROUND_ALREADY_DRAWN' | 'ROUND_DRAW_IN_PROGRESS',
    text: I18nText = code === 'ROUND_ALREADY_DRAWN'
      ? t('该批次已分配', 'This round has been drawn already')
      : t('该批次正在分配中，请稍后查看结果', 'This round is being drawn; check the result shortly'),
  ) {
    super(text);
  }
}

/** Too many simultaneous writes to the same pool; retried with backoff by the use case. */
export class PoolContentionError extends DomainError {
  readonly code = 'POOL_CONTENTION';
  constructor(
    text: I18nText = t(
      '同时提交的人数过多，请稍后重试',
      'Too many simultaneous requests; please retry shortly',
    ),
  ) {
    super(text);
  }
}
