/** The ApplicationRepository contract on the DynamoDB adapter, on DynamoDB Local. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localFieldCipher } from '#adapters/crypto/field-cipher';
import { DynamoApplicationRepository } from '#adapters/dynamodb/application-repository';
import { intakePool } from '#services/childcare-slot/classes';
import { DynamoNurseryRepository } from '#services/childcare-slot/store';
import { freshTable } from '../support/dynamo.ts';
import { describeApplicationRepositoryContract } from './applications.contract.ts';

describeApplicationRepositoryContract('DynamoDB', async () => {
  const table = await freshTable('contract-apps');
  const cipher = localFieldCipher(join(mkdtempSync(join(tmpdir(), 'keys-')), 'k.json'));
  const nurseries = new DynamoNurseryRepository(table.doc, table.tableName);
  return {
    repo: new DynamoApplicationRepository(table.doc, table.tableName, cipher),
    async openRoundIntake(org, term, capacity, deadline) {
      const intake = { nurseryId: org, term, classId: 'toddler' as const, capacity, mode: 'round' as const };
      await nurseries.createIntake({ ...intake, roundDeadline: deadline, data: {} }, deadline);
      return { org, pool: intakePool(term, 'toddler') };
    },
    drop: table.drop,
  };
});
