/** The module's API shapes, named from the generated contract (web/generated/api-types.ts). */
import type { Reply } from '../../types.ts';

/** An allowance and its payments (money in integer fen, months `YYYY-MM`). */
export type AllowanceDetail = Reply<'/child-allowance/allowances/{id}', 'get'>;
export type Allowance = AllowanceDetail['allowance'];
export type Payment = AllowanceDetail['payments'][number];
export type BatchDetail = Reply<'/child-allowance/batches/{township}/{month}', 'get'>;
export type PaymentBatch = BatchDetail['batch'];
