/** The ApplicationRepository contract on the DynamoDB adapter, on DynamoDB Local. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localFieldCipher } from '#adapters/crypto/field-cipher';
import { DynamoApplicationRepository } from '#adapters/dynamodb/application-repository';
import { freshTable } from '../support/dynamo.ts';
import { describeApplicationRepositoryContract } from './applications.contract.ts';

describeApplicationRepositoryContract('DynamoDB', async () => {
  const table = await freshTable('contract-apps');
  const cipher = localFieldCipher(join(mkdtempSync(join(tmpdir(), 'keys-')), 'k.json'));
  return { repo: new DynamoApplicationRepository(table.doc, table.tableName, cipher), drop: table.drop };
});
