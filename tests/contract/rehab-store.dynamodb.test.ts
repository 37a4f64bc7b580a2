/** The RehabStore contract on the rehab-aid module's DynamoDB store, on DynamoDB Local. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localFieldCipher } from '#adapters/crypto/field-cipher';
import { DynamoApplicationRepository } from '#adapters/dynamodb/application-repository';
import { DynamoRehabStore } from '#services/rehab-aid/store';
import { freshTable } from '../support/dynamo.ts';
import { describeRehabStoreContract } from './rehab-store.contract.ts';

describeRehabStoreContract('DynamoDB', async () => {
  const table = await freshTable('contract-rehab');
  const cipher = localFieldCipher(join(mkdtempSync(join(tmpdir(), 'keys-')), 'k.json'));
  return {
    store: new DynamoRehabStore(table.doc, table.tableName),
    apps: new DynamoApplicationRepository(table.doc, table.tableName, cipher),
    drop: table.drop,
  };
});
