/**
 * Rehab-aid conflicts with a stable, specific code (e.g. YEARLY_CAP_EXCEEDED). They are
 * InvalidStateErrors, so the one error table answers 409; only their `code` is more precise.
 */
import { StateConflictError } from '../../core/errors.ts';
import { t } from '../../core/i18n.ts';

export { TooManyDocumentsError } from '../../core/case-documents.ts';

export class RehabConflictError extends StateConflictError {}

const yuan = (fen: number) => (fen / 100).toFixed(2);

/** An approval that would take a child's approved total past the monthly or yearly cap. */
export class CapExceededError extends RehabConflictError {
  constructor(
    readonly cap: 'yearly' | 'monthly',
    readonly capFen: number,
    readonly approvedFen: number,
    readonly requestedFen: number,
  ) {
    const left = Math.max(0, capFen - approvedFen);
    super(
      cap === 'yearly' ? 'YEARLY_CAP_EXCEEDED' : 'MONTHLY_CAP_EXCEEDED',
      cap === 'yearly'
        ? t(
            `超过年度救助上限：上限 ¥${yuan(capFen)}，已核准 ¥${yuan(approvedFen)}，剩余 ¥${yuan(left)}，本次 ¥${yuan(requestedFen)}`,
            `Over the yearly cap: cap ¥${yuan(capFen)}, approved ¥${yuan(approvedFen)}, left ¥${yuan(left)}, this claim ¥${yuan(requestedFen)}`,
          )
        : t(
            `超过该月救助上限：上限 ¥${yuan(capFen)}，该月已核准 ¥${yuan(approvedFen)}，剩余 ¥${yuan(left)}，本次 ¥${yuan(requestedFen)}`,
            `Over the monthly cap: cap ¥${yuan(capFen)}, approved that month ¥${yuan(approvedFen)}, left ¥${yuan(left)}, this claim ¥${yuan(requestedFen)}`,
          ),
    );
  }
}

/** A one-off item approved for this child and year already, or claimed above the item's cap. */
export class ItemCapExceededError extends RehabConflictError {
  constructor(
    readonly item: string,
    readonly capFen: number,
    readonly approvedFen: number,
    readonly requestedFen: number,
  ) {
    super(
      'ITEM_CAP_EXCEEDED',
      approvedFen > 0
        ? t(
            `该儿童本年度已核准此项目（¥${yuan(approvedFen)}），每年只能申报一次，上限 ¥${yuan(capFen)}`,
            `This item was approved for the child this year already (¥${yuan(approvedFen)}); it may be claimed once a year, cap ¥${yuan(capFen)}`,
          )
        : t(
            `超过该项目救助上限：上限 ¥${yuan(capFen)}，本次 ¥${yuan(requestedFen)}`,
            `Over the item's cap: cap ¥${yuan(capFen)}, this claim ¥${yuan(requestedFen)}`,
          ),
    );
  }
}
