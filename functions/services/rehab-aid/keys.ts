/**
 * Keys of the rehab-aid module's own items in the single table (kernel keys are in
 * functions/adapters/dynamodb/keys.ts). Access patterns:
 *
 *   rehab documents of an app  Query  pk=APP#<id> sk begins_with RDOC# (records; files in S3 at
 *                              rehab/<id>/<documentId>)
 *   documents held by an app . pk=APP#<id> sk=COUNT#RDOC (held < 20, updated in each document write)
 *   rehab aid plan ........... GetItem  pk=APP#<id> sk=RPLAN; an institution's plans: Query GSI1
 *                              gsi1pk=RPLANS#<institution> by gsi1sk=<year>#<id>
 *   child budget per year .... GetItem  pk=RBUDGET#<blind index of the child's ID> sk=Y#<year>;
 *                              conditional UpdateItem (approved total <= cap - amount, and per
 *                              month) inside the claim approval's transaction
 *   claims of a plan ......... Query    pk=APP#<id> sk begins_with RCLAIM#
 *   claim queue by status .... Query    GSI1 gsi1pk=RCLAIMQ#<status> by gsi1sk=<filedAt>#<claimId>
 *   settlement statement ..... Query    GSI2 gsi2pk=RSTMT#<institution>#<yyyy-mm> (claims approved
 *                              and booked into that month)
 *   settlement ............... GetItem  pk=RSETTLE#<institution> sk=M#<yyyy-mm>; a month's
 *                              settlements: Query GSI1 gsi1pk=RSETTLEMONTH#<yyyy-mm>
 *   aid standard ............. GetItem  pk=RSTD#<year> sk=CURRENT (pointer) | V#<version:4>
 *   designated institution ... the kernel's organisation record pk=ORG#<id> sk=A (orgType
 *                              rehab-institution; all: Query GSI1 gsi1pk=ORGS#rehab-institution);
 *                              every version: pk=RINST#<id> sk=V#<version:4>
 */
export const rehabKeys = {
  institutionVersion: (id: string, version: number) => ({
    pk: `RINST#${id}`,
    sk: `V#${String(version).padStart(4, '0')}`,
  }),
  institutionHistoryPk: (id: string) => `RINST#${id}`,
  document: (appId: string, documentId: string) => ({ pk: `APP#${appId}`, sk: `RDOC#${documentId}` }),
  documentPrefix: 'RDOC#',
  /** documents counting against the per-application limit, kept in each document's transaction */
  documentCount: (appId: string) => ({ pk: `APP#${appId}`, sk: 'COUNT#RDOC' }),
  plan: (planId: string) => ({ pk: `APP#${planId}`, sk: 'RPLAN' }),
  plansIndex: (institution: string, year: number, planId: string) => ({
    gsi1pk: `RPLANS#${institution}`,
    gsi1sk: `${year}#${planId}`,
  }),
  plansPk: (institution: string) => `RPLANS#${institution}`,
  budget: (childKey: string, year: number) => ({ pk: `RBUDGET#${childKey}`, sk: `Y#${year}` }),
  claim: (planId: string, claimId: string) => ({ pk: `APP#${planId}`, sk: `RCLAIM#${claimId}` }),
  claimPrefix: 'RCLAIM#',
  claimQueue: (status: string, filedAt: string, claimId: string) => ({
    gsi1pk: `RCLAIMQ#${status}`,
    gsi1sk: `${filedAt}#${claimId}`,
  }),
  claimQueuePk: (status: string) => `RCLAIMQ#${status}`,
  statementIndex: (institution: string, month: string, claimId: string) => ({
    gsi2pk: `RSTMT#${institution}#${month}`,
    gsi2sk: claimId,
  }),
  statementPk: (institution: string, month: string) => `RSTMT#${institution}#${month}`,
  settlement: (institution: string, month: string) => ({
    pk: `RSETTLE#${institution}`,
    sk: `M#${month}`,
  }),
  settlementsIndex: (month: string, institution: string) => ({
    gsi1pk: `RSETTLEMONTH#${month}`,
    gsi1sk: institution,
  }),
  settlementsPk: (month: string) => `RSETTLEMONTH#${month}`,
  standardCurrent: (year: number) => ({ pk: `RSTD#${year}`, sk: 'CURRENT' }),
  standard: (year: number, version: number) => ({
    pk: `RSTD#${year}`,
    sk: `V#${String(version).padStart(4, '0')}`,
  }),
} as const;
