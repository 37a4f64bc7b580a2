/**
 * The single table's physical shape, shared by the CDK stack and the local runtime / tests so
 * the two can never drift. Key *values* are built only in keys.ts.
 */
export const tableSchema = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  indexes: [
    /** queues and lists: SVC#<service>#<status>, Q#<agency>[#<township>]#<status> */
    { name: 'GSI1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** by owner: USER#<applicant> (applications), USER#<assignee> (claimed tasks) */
    { name: 'GSI2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /** sparse due-timer index read by the sweeper: DUE#<shard> / <ISO time>#<pk>#<sk> */
    { name: 'GSI3', partitionKey: 'duePk', sortKey: 'dueSk' },
  ],
} as const;

/** Parameters for CreateTable (local runtime, tests). On-demand billing; streams with both images. */
export function createTableInput(tableName: string) {
  const attrs = new Set<string>([tableSchema.partitionKey, tableSchema.sortKey]);
  for (const ix of tableSchema.indexes) {
    attrs.add(ix.partitionKey);
    attrs.add(ix.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attrs].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: tableSchema.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: tableSchema.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: tableSchema.indexes.map((ix) => ({
      IndexName: ix.name,
      KeySchema: [
        { AttributeName: ix.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: ix.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' as const },
  };
}
