/** The StatsStore contract on the DynamoDB statistics store, on DynamoDB Local. */
import { DynamoStatsStore } from '#adapters/dynamodb/stats-repository';
import { freshTable } from '../support/dynamo.ts';
import { describeStatsStoreContract } from './stats-store.contract.ts';

describeStatsStoreContract('DynamoDB', async () => {
  const table = await freshTable('contract-stats');
  return { store: new DynamoStatsStore(table.doc, table.tableName), drop: table.drop };
});
