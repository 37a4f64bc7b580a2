/**
 * Document retention on the real adapters (DynamoDB Local, the local S3 server): the files of
 * rehab-aid applications closed more than the retention period ago are deleted, their records
 * stay marked `purged` with one `documents-purged` event each; open cases and recently closed
 * ones keep theirs; a second run does nothing more; cases closing later are picked up later.
 * Also the job's configuration: a bad DOCUMENT_RETENTION_DAYS stops it with a clear error.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { localFieldCipher } from '#adapters/crypto/field-cipher';
import { DynamoApplicationRepository } from '#adapters/dynamodb/application-repository';
import { makeS3Client } from '#adapters/s3/client';
import { S3DocumentStorage } from '#adapters/s3/document-storage';
import { ApplicationService } from '#core/application-service';
import { WorkingCalendar } from '#core/calendar';
import type { Actor } from '#core/engine/types';
import { chinaYear } from '#services/rehab-aid/eligibility';
import { purgeExpiredDocuments } from '#services/rehab-aid/retention';
import { retentionDays } from '#services/rehab-aid/retention-job';
import { RehabService } from '#services/rehab-aid/service';
import { DynamoRehabStore } from '#services/rehab-aid/store';
import { type S3Local, startS3Local } from '../../local/s3-local.ts';
import { cw, parentA } from '../support/actors.ts';
import { freshTable } from '../support/dynamo.ts';
import { fixtureForm } from '../support/forms.ts';

const BUCKET = 'retention-test';
const DAY = 86_400_000;
const PDF = new TextEncoder().encode(`%PDF-1.4\n${'%'.repeat(300)}\n%%EOF\n`);
const township: Actor = cw('dpf-township', 'liushi');

let table: Awaited<ReturnType<typeof freshTable>>;
let s3: S3Local;
let files: S3DocumentStorage;
let apps: ApplicationService;
let store: DynamoRehabStore;
let repo: DynamoApplicationRepository;
let cipherIndex: (id: string) => string;

/** The rehab use cases (and the retention job) with the clock `days` ahead of now. */
const rehabAt = (days = 0) => {
  const deps = {
    store,
    files,
    clock: { now: () => new Date(Date.now() + days * DAY) },
    ids: { newId: ulid },
  };
  const service = new RehabService({
    ...deps,
    apps: repo,
    appService: apps,
    childKey: (id) => cipherIndex(id),
    requireEncryption: false,
  });
  return Object.assign(service, {
    purgeExpiredDocuments: (retention: number) => purgeExpiredDocuments(deps, retention),
  });
};

beforeAll(async () => {
  table = await freshTable('retention');
  s3 = await startS3Local({ dir: mkdtempSync(join(tmpdir(), 's3-')), buckets: [BUCKET] });
  process.env.S3_ACCESS_KEY_ID = s3.credentials.accessKeyId;
  process.env.S3_SECRET_ACCESS_KEY = s3.credentials.secretAccessKey;
  files = new S3DocumentStorage(makeS3Client(s3.endpoint), BUCKET, { sse: 'AES256' });
  const cipher = localFieldCipher(join(mkdtempSync(join(tmpdir(), 'keys-')), 'k.json'));
  cipherIndex = (id) => cipher.blindIndex(id);
  repo = new DynamoApplicationRepository(table.doc, table.tableName, cipher);
  apps = new ApplicationService(repo, {
    clock: { now: () => new Date() },
    ids: { newId: ulid },
    calendar: new WorkingCalendar(),
  });
  store = new DynamoRehabStore(table.doc, table.tableName);
});
afterAll(async () => {
  await s3?.stop();
  await table?.drop();
});
afterEach(() => {
  delete process.env.DOCUMENT_RETENTION_DAYS;
});

/** A rehab application with one uploaded PDF; returns its id and the document's object key. */
async function withDocument(): Promise<{ appId: string; key: string; documentId: string }> {
  const form = fixtureForm('rehab-aid');
  form.application.aidYear = chinaYear(new Date());
  const appId = (await apps.submit(parentA, { service: 'rehab-aid', form })).view.id;
  const { document, upload } = await rehabAt().documents.requestUpload(parentA, appId, {
    kind: 'disability-certificate',
    contentType: 'application/pdf',
    size: PDF.length,
  });
  const { 'content-length': _, ...headers } = upload.headers;
  const res = await fetch(upload.url, { method: 'PUT', headers, body: PDF });
  expect(res.status).toBe(200);
  await rehabAt().documents.completeUpload(parentA, appId, document.documentId);
  return { appId, key: document.objectKey, documentId: document.documentId };
}

const purgeEvents = async (appId: string) =>
  (await repo.listEvents(appId)).filter((e) => (e.type as string) === 'documents-purged');

describe('document retention of closed rehab cases', () => {
  it('deletes the files of cases closed longer than the retention, once, and keeps the records', async () => {
    const withdrawn = await withDocument();
    const rejected = await withDocument();
    const open = await withDocument();
    await apps.withdraw(parentA, withdrawn.appId);
    await apps.decide(township, rejected.appId, 'township-review', {
      decision: 'reject',
      reason: 'not-resident',
    });

    // closed today: within a 30-day retention nothing goes
    expect(await rehabAt().purgeExpiredDocuments(30)).toEqual({ cases: 0, documents: 0 });
    expect(await files.inspect(withdrawn.key)).not.toBeNull();

    // 31 days later: the two closed cases lose their files, the open one keeps its file
    expect(await rehabAt(31).purgeExpiredDocuments(30)).toEqual({ cases: 2, documents: 2 });
    expect(await files.inspect(withdrawn.key)).toBeNull();
    expect(await files.inspect(rejected.key)).toBeNull();
    expect(await files.inspect(open.key)).not.toBeNull();

    const [record] = await rehabAt().documents.list(parentA, withdrawn.appId);
    expect(record).toMatchObject({ status: 'purged', kind: 'disability-certificate', size: PDF.length });
    expect(Date.parse(record?.purgedAt ?? '')).toBeGreaterThan(Date.now() + 30 * DAY);
    const events = await purgeEvents(withdrawn.appId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: { sub: 'system:retention' },
      data: { count: 1, retentionDays: 30 },
    });
    // a purged document has nothing to view
    await expect(
      rehabAt().documents.link(township, rejected.appId, rejected.documentId),
    ).rejects.toMatchObject({ code: 'INVALID_STATE' });

    // the next run finds nothing new and writes no second event
    expect(await rehabAt(32).purgeExpiredDocuments(30)).toEqual({ cases: 0, documents: 0 });
    expect(await purgeEvents(withdrawn.appId)).toHaveLength(1);

    // the open case closes now; its retention runs from its own closing
    await apps.withdraw(parentA, open.appId);
    expect(await rehabAt(29).purgeExpiredDocuments(30)).toEqual({ cases: 0, documents: 0 });
    expect(await rehabAt(31).purgeExpiredDocuments(30)).toEqual({ cases: 1, documents: 1 });
    expect(await files.inspect(open.key)).toBeNull();
  });

  it('reads DOCUMENT_RETENTION_DAYS (default three years) and refuses nonsense', () => {
    expect(retentionDays()).toBe(1095);
    process.env.DOCUMENT_RETENTION_DAYS = '3650';
    expect(retentionDays()).toBe(3650);
    for (const bad of ['0', '-5', '1.5', 'forever']) {
      process.env.DOCUMENT_RETENTION_DAYS = bad;
      expect(() => retentionDays()).toThrow(/DOCUMENT_RETENTION_DAYS must be a whole number/);
    }
  });
});
