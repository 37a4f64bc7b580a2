/**
 * Keys of this module's own items in the single table (kernel keys: adapters/dynamodb/keys.ts).
 * Access patterns:
 *
 *   allowance of a case ...... GetItem  pk=APP#<id> sk=CLA (one per confirmed application,
 *                              `version` for optimistic locking); a township's allowances: Query
 *                              GSI1 gsi1pk=CLAT#<township>; the active ones (lifecycle job): Query
 *                              GSI2 gsi2pk=CLAACTIVE (removed when the allowance ends)
 *   payments of a case ....... Query    pk=APP#<id> sk begins_with CLAPAY# (sk=CLAPAY#<yyyy-mm>)
 *   payments of a batch ...... Query    GSI1 gsi1pk=CLAPAYB#<township>#<yyyy-mm>
 *   payment batch ............ GetItem  pk=CLABATCH#<township> sk=M#<yyyy-mm> (put if absent: one
 *                              per township and month); a month's batches: Query GSI1
 *                              gsi1pk=CLABATCHES#<yyyy-mm>
 *   living standard .......... GetItem  pk=CLASTD#<year> sk=CURRENT (pointer) | V#<version:4>
 */
export const allowanceKeys = {
  allowance: (appId: string) => ({ pk: `APP#${appId}`, sk: 'CLA' }),
  townshipIndex: (township: string, appId: string) => ({ gsi1pk: `CLAT#${township}`, gsi1sk: appId }),
  townshipPk: (township: string) => `CLAT#${township}`,
  activeIndex: (appId: string) => ({ gsi2pk: 'CLAACTIVE', gsi2sk: appId }),
  activePk: 'CLAACTIVE',
  payment: (appId: string, month: string) => ({ pk: `APP#${appId}`, sk: `CLAPAY#${month}` }),
  paymentPrefix: 'CLAPAY#',
  batchPaymentsIndex: (township: string, month: string, appId: string) => ({
    gsi1pk: `CLAPAYB#${township}#${month}`,
    gsi1sk: appId,
  }),
  batchPaymentsPk: (township: string, month: string) => `CLAPAYB#${township}#${month}`,
  batch: (township: string, month: string) => ({ pk: `CLABATCH#${township}`, sk: `M#${month}` }),
  monthBatchesIndex: (month: string, township: string) => ({
    gsi1pk: `CLABATCHES#${month}`,
    gsi1sk: township,
  }),
  monthBatchesPk: (month: string) => `CLABATCHES#${month}`,
  standardCurrent: (year: number) => ({ pk: `CLASTD#${year}`, sk: 'CURRENT' }),
  standard: (year: number, version: number) => ({
    pk: `CLASTD#${year}`,
    sk: `V#${String(version).padStart(4, '0')}`,
  }),
} as const;
