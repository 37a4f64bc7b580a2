/**
 * Failures a real emulator cannot produce, injected with aws-sdk-client-mock: DynamoDB
 * throttling and internal errors. The edge answers 503 with Retry-After (never a bare 500) and
 * the stored application is unchanged.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFieldCipher } from '#adapters/crypto/field-cipher';
import { DynamoApplicationRepository } from '#adapters/dynamodb/application-repository';
import { makeDocumentClient } from '#adapters/dynamodb/client';
import { ApplicationService } from '#core/application-service';
import { WorkingCalendar } from '#core/calendar';
import { errorResponse } from '#shared/error-mapper';
import { cw, parentA } from '../support/actors.ts';
import { freshTable } from '../support/dynamo.ts';
import { birthForm } from '../support/forms.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
const cipher = localFieldCipher(join(mkdtempSync(join(tmpdir(), 'keys-')), 'k.json'));
const deps = { clock: { now: () => new Date() }, ids: { newId: ulid }, calendar: new WorkingCalendar() };

beforeAll(async () => {
  table = await freshTable('faults');
});
afterAll(() => table.drop());

const throttled = () =>
  new ProvisionedThroughputExceededException({
    message: 'Rate of requests exceeds the allowed throughput',
    $metadata: {},
  });

describe('DynamoDB failures', () => {
  it('maps a throttled transaction to 503 with Retry-After and leaves the application as it was', async () => {
    const real = new DynamoApplicationRepository(table.doc, table.tableName, cipher);
    const { view } = await new ApplicationService(real, deps).submit(parentA, {
      service: 'birth-registration',
      form: birthForm(),
    });
    const before = await real.get(view.id);

    // A second client instance whose writes are throttled; reads pass through to DynamoDB Local.
    const flaky = makeDocumentClient(table.endpoint);
    const mock = mockClient(flaky as DynamoDBDocumentClient);
    mock.on(GetCommand).callsFake((input) => table.doc.send(new GetCommand(input)));
    mock.on(QueryCommand).callsFake((input) => table.doc.send(new QueryCommand(input)));
    mock.on(TransactWriteCommand).rejects(throttled());
    const service = new ApplicationService(
      new DynamoApplicationRepository(flaky, table.tableName, cipher),
      deps,
    );

    const err = await service
      .decide(cw('health'), view.id, 'birth-certificate', {
        decision: 'approve',
        outputs: { certificateNumber: 'Q330123456' },
      })
      .catch((e) => e);
    const res = errorResponse(err, 'zh-CN', 'req-1') as {
      statusCode: number;
      headers: Record<string, string>;
      body: string;
    };

    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(JSON.parse(res.body).error.code).toBe('SERVICE_BUSY');
    expect(await real.get(view.id)).toEqual(before);
    mock.restore();
  });

  it('answers an unexpected store error with a generic 500 that exposes no internals', () => {
    const res = errorResponse(
      new TypeError('Cannot read properties of undefined (reading pk) at /var/task/x.js'),
      'en',
      'req-2',
    ) as {
      statusCode: number;
      body: string;
    };
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('/var/task');
    expect(JSON.parse(res.body).error.message).toContain('req-2');
  });
});
