/**
 * Failures a real emulator cannot produce, injected with aws-sdk-client-mock: throttling, 5xx
 * answers, timeouts and refused connections of DynamoDB, S3, SES and KMS. The edge answers 503
 * with Retry-After (never a bare 500) and the stored application is unchanged. A server that
 * accepts and never answers shows the SDK clients' request timeout for real.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DecryptCommand, KMSClient, KMSInternalException } from '@aws-sdk/client-kms';
import { HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { SESClient, SESServiceException, SendEmailCommand } from '@aws-sdk/client-ses';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ulid } from 'ulid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kmsFieldCipher, localFieldCipher } from '#adapters/crypto/field-cipher';
import { DynamoApplicationRepository } from '#adapters/dynamodb/application-repository';
import { makeDocumentClient } from '#adapters/dynamodb/client';
import { S3DocumentStorage } from '#adapters/s3/document-storage';
import { SesMailer, sesClientConfig } from '#adapters/ses/mailer';
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

type Mapped = { statusCode: number; headers: Record<string, string>; body: string };
const mapped = (err: unknown) => errorResponse(err, 'en', 'req-f') as Mapped;

/** An error as the SDK's HTTP handler raises it when nothing listens on the port. */
const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED', $metadata: {} });
/** An error as the SDK raises it when its requestTimeout passes with no answer. */
const timedOut = () =>
  Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError', $metadata: {} });

describe('a dependency that is down, failing or silent', () => {
  const mocks: Array<{ restore(): void }> = [];
  afterEach(() => {
    for (const m of mocks.splice(0)) m.restore();
  });

  async function decideThrough(failure: Error) {
    const real = new DynamoApplicationRepository(table.doc, table.tableName, cipher);
    const { view } = await new ApplicationService(real, deps).submit(parentA, {
      service: 'birth-registration',
      form: birthForm(),
    });
    const before = await real.get(view.id);
    const flaky = makeDocumentClient(table.endpoint);
    const mock = mockClient(flaky as DynamoDBDocumentClient);
    mocks.push(mock);
    mock.on(GetCommand).callsFake((input) => table.doc.send(new GetCommand(input)));
    mock.on(QueryCommand).callsFake((input) => table.doc.send(new QueryCommand(input)));
    mock.on(TransactWriteCommand).rejects(failure);
    const err = await new ApplicationService(
      new DynamoApplicationRepository(flaky, table.tableName, cipher),
      deps,
    )
      .decide(cw('health'), view.id, 'birth-certificate', {
        decision: 'approve',
        outputs: { certificateNumber: 'Q330123456' },
      })
      .catch((e) => e);
    return { res: mapped(err), unchanged: (await real.get(view.id)) ?? undefined, before };
  }

  it.each([
    ['refuses connections (ECONNREFUSED)', refused],
    ['does not answer within the request timeout', timedOut],
    [
      'answers 502',
      () =>
        Object.assign(new Error('Bad Gateway'), { name: 'UnknownError', $metadata: { httpStatusCode: 502 } }),
    ],
  ])(
    'maps DynamoDB that %s to 503 with Retry-After and leaves the application as it was',
    async (_, make) => {
      const { res, unchanged, before } = await decideThrough(make());

      expect(res.statusCode).toBe(503);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(res.body).error).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      expect(unchanged).toEqual(before);
    },
  );

  it('maps an S3 internal error on a document check to 503 with Retry-After', async () => {
    const s3 = new S3Client({ region: 'ap-east-1' });
    const mock = mockClient(s3);
    mocks.push(mock);
    mock.on(HeadObjectCommand).rejects(
      new S3ServiceException({
        name: 'InternalError',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
        message: 'We encountered an internal error',
      }),
    );

    const err = await new S3DocumentStorage(s3, 'docs').inspect('a/b.pdf').catch((e) => e);

    expect(mapped(err).statusCode).toBe(503);
    expect(mapped(err).headers['retry-after']).toBe('5');
  });

  it('maps SES throttling of a send to 503 SERVICE_BUSY with Retry-After', async () => {
    // the mailer builds a fresh client per send: mock the class
    const mock = mockClient(SESClient);
    mocks.push(mock);
    mock.on(SendEmailCommand).rejects(
      new SESServiceException({
        name: 'Throttling',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Maximum sending rate exceeded.',
      }),
    );

    const err = await new SesMailer({ region: 'ap-east-1' }, 'noreply@example.com')
      .send('a@example.com', 's', 't')
      .catch((e) => e);

    expect(mapped(err).statusCode).toBe(503);
    expect(mapped(err).headers['retry-after']).toBe('1');
    expect(JSON.parse(mapped(err).body).error.code).toBe('SERVICE_BUSY');
  });

  it('maps a KMS internal error while loading the field keys to 503 with Retry-After', async () => {
    const kms = new KMSClient({ region: 'ap-east-1' });
    const mock = mockClient(kms);
    mocks.push(mock);
    mock
      .on(DecryptCommand)
      .rejects(new KMSInternalException({ $metadata: { httpStatusCode: 500 }, message: 'internal' }));

    const err = await kmsFieldCipher(kms, ['AAAA']).catch((e) => e);

    expect(mapped(err).statusCode).toBe(503);
  });

  it('keeps a 4xx refusal of the store (a bug, not an outage) a generic 500', () => {
    const err = Object.assign(new Error('One or more parameter values were invalid'), {
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });

    expect(mapped(err).statusCode).toBe(500);
  });
});

describe('the SDK clients time out', () => {
  let silent: Server;
  let endpoint: string;
  const saved = process.env.SDK_REQUEST_TIMEOUT_MS;
  beforeAll(async () => {
    // Accepts every request and never answers: a hung SES (or a frozen process behind the port).
    silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    process.env.SDK_REQUEST_TIMEOUT_MS = '300';
  });
  afterAll(async () => {
    process.env.SDK_REQUEST_TIMEOUT_MS = saved;
    silent.closeAllConnections();
    await new Promise((r) => silent.close(r));
  });

  it('gives up on a local SES that never answers and maps it to 503', async () => {
    const mailer = new SesMailer(sesClientConfig(endpoint), 'noreply@example.com');

    const err = await mailer.send('a@example.com', 'subject', 'text').catch((e) => e);

    expect((err as Error).name).toBe('TimeoutError');
    expect(mapped(err).statusCode).toBe(503);
  });

  it('gives up on a DynamoDB that never answers and maps it to 503', async () => {
    const doc = makeDocumentClient(endpoint);

    const err = await doc.send(new GetCommand({ TableName: 't', Key: { pk: 'a', sk: 'b' } })).catch((e) => e);

    expect(mapped(err).statusCode).toBe(503);
  });
});
