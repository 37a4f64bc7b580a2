/**
 * Rehab documents against the real adapters: DynamoDB Local for the records and audit events, the
 * local S3 server (s3rver, as `npm start` runs it) for presigned uploads and view links.
 * s3rver does not verify signatures, so these tests rely on the after-upload check, which is
 * exactly what must hold when a signature is bypassed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFieldCipher } from '#adapters/crypto/field-cipher';
import { DynamoApplicationRepository } from '#adapters/dynamodb/application-repository';
import { makeS3Client } from '#adapters/s3/client';
import { S3DocumentStorage } from '#adapters/s3/document-storage';
import { ApplicationService } from '#core/application-service';
import { WorkingCalendar } from '#core/calendar';
import type { Actor } from '#core/engine/types';
import { chinaYear } from '#services/rehab-aid/eligibility';
import { RehabService } from '#services/rehab-aid/service';
import { DynamoRehabStore } from '#services/rehab-aid/store';
import type { RehabEvent } from '#services/rehab-aid/types';
import { type S3Local, startS3Local } from '../../local/s3-local.ts';
import { cw, parentA } from '../support/actors.ts';
import { freshTable } from '../support/dynamo.ts';
import { fixtureForm } from '../support/forms.ts';

const BUCKET = 'rehab-documents-test';
let table: Awaited<ReturnType<typeof freshTable>>;
let s3: S3Local;
let files: S3DocumentStorage;
let rehab: (linkSeconds?: number) => RehabService;
let apps: ApplicationService;
let repo: DynamoApplicationRepository;

const township: Actor = cw('dpf-township', 'liushi');
const PDF = new TextEncoder().encode(`%PDF-1.4\n${'%'.repeat(500)}\n%%EOF\n`);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1]);

beforeAll(async () => {
  table = await freshTable('rehab-docs');
  s3 = await startS3Local({ dir: mkdtempSync(join(tmpdir(), 's3-')), buckets: [BUCKET] });
  process.env.S3_ACCESS_KEY_ID = s3.credentials.accessKeyId;
  process.env.S3_SECRET_ACCESS_KEY = s3.credentials.secretAccessKey;
  files = new S3DocumentStorage(makeS3Client(s3.endpoint), BUCKET, { sse: 'AES256' });
  const cipher = localFieldCipher(join(mkdtempSync(join(tmpdir(), 'keys-')), 'k.json'));
  repo = new DynamoApplicationRepository(table.doc, table.tableName, cipher);
  const deps = { clock: { now: () => new Date() }, ids: { newId: ulid } };
  apps = new ApplicationService(repo, { ...deps, calendar: new WorkingCalendar() });
  const store = new DynamoRehabStore(table.doc, table.tableName);
  rehab = (linkSeconds = 300) =>
    new RehabService({
      apps: repo,
      appService: apps,
      store,
      files,
      ...deps,
      childKey: (id) => cipher.blindIndex(id),
      viewLinkSeconds: linkSeconds,
      // s3rver keeps plain files and never reports server-side encryption (see local/s3-local.ts)
      requireEncryption: false,
    });
});
afterAll(async () => {
  await s3?.stop();
  await table?.drop();
});

async function submit() {
  const form = fixtureForm('rehab-aid');
  form.application.aidYear = chinaYear(new Date());
  return (await apps.submit(parentA, { service: 'rehab-aid', form })).view.id;
}

/** What the browser does with the ticket: PUT the bytes with the signed headers. */
async function put(
  ticket: { url: string; headers: Record<string, string> },
  bytes: Uint8Array<ArrayBuffer>,
  type?: string,
) {
  const { 'content-length': _, ...headers } = ticket.headers;
  const res = await fetch(ticket.url, {
    method: 'PUT',
    headers: { ...headers, ...(type ? { 'content-type': type } : {}) },
    body: bytes,
  });
  await res.arrayBuffer();
  return res.status;
}

describe('rehab documents on DynamoDB Local and local S3', () => {
  it('accepts an uploaded PDF after checking its size, type and bytes', async () => {
    const appId = await submit();
    const { document, upload } = await rehab().documents.requestUpload(parentA, appId, {
      kind: 'disability-certificate',
      contentType: 'application/pdf',
      size: PDF.length,
    });
    expect(upload.url).toContain(`/${BUCKET}/rehab/${appId}/${document.documentId}`);
    expect(upload.url).toContain('X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost');
    expect(await put(upload, PDF)).toBe(200);
    const stored = await files.inspect(document.objectKey);
    expect(stored).toMatchObject({ size: PDF.length, contentType: 'application/pdf' });
    const done = await rehab().documents.completeUpload(parentA, appId, document.documentId);
    expect(done.status).toBe('uploaded');
  });

  it('keeps at most 20 documents per application when 30 are requested at the same time', async () => {
    const appId = await submit();
    const request = () =>
      rehab().documents.requestUpload(parentA, appId, {
        kind: 'diagnosis',
        contentType: 'application/pdf',
        size: PDF.length,
      });

    const results = await Promise.allSettled(Array.from({ length: 30 }, request));

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'TOO_MANY_DOCUMENTS' });
    }
    expect(await new DynamoRehabStore(table.doc, table.tableName).listDocuments(appId)).toHaveLength(20);
    // n concurrent writers of one case history commit one per round: allow for a loaded machine
  }, 90_000);

  it('gives a refused document its place back', async () => {
    const appId = await submit();
    const tickets = [];
    for (let i = 0; i < 20; i++) {
      tickets.push(
        await rehab().documents.requestUpload(parentA, appId, {
          kind: 'diagnosis',
          contentType: 'application/pdf',
          size: PDF.length,
        }),
      );
    }
    const more = () =>
      rehab().documents.requestUpload(parentA, appId, {
        kind: 'diagnosis',
        contentType: 'application/pdf',
        size: PDF.length,
      });
    await expect(more()).rejects.toMatchObject({ code: 'TOO_MANY_DOCUMENTS' });
    // the first gets bytes of another type: completing refuses it
    expect(await put(tickets[0]!.upload, JPEG)).toBe(200);
    await expect(
      rehab().documents.completeUpload(parentA, appId, tickets[0]!.document.documentId),
    ).rejects.toThrow();
    await expect(more()).resolves.toMatchObject({ document: { status: 'awaiting-upload' } });
  });

  it('refuses and deletes bytes of another type, and an upload of another size than signed', async () => {
    const appId = await submit();
    const wrongType = await rehab().documents.requestUpload(parentA, appId, {
      kind: 'hukou',
      contentType: 'application/pdf',
      size: JPEG.length,
    });
    expect(await put(wrongType.upload, JPEG)).toBe(200);
    await expect(
      rehab().documents.completeUpload(parentA, appId, wrongType.document.documentId),
    ).rejects.toMatchObject({
      code: 'DOCUMENT_REFUSED',
    });
    expect(await files.inspect(wrongType.document.objectKey)).toBeNull();

    const wrongSize = await rehab().documents.requestUpload(parentA, appId, {
      kind: 'hukou',
      contentType: 'application/pdf',
      size: 100,
    });
    expect(await put(wrongSize.upload, PDF)).toBe(200); // real S3 refuses this PUT (signed length)
    await expect(
      rehab().documents.completeUpload(parentA, appId, wrongSize.document.documentId),
    ).rejects.toMatchObject({
      code: 'DOCUMENT_REFUSED',
    });
    const docs = await rehab().documents.list(parentA, appId);
    expect(docs.map((d) => [d.status, d.refusedReason])).toEqual(
      expect.arrayContaining([
        ['refused', 'type-mismatch'],
        ['refused', 'size-mismatch'],
      ]),
    );
  });

  it('refuses to complete before anything was uploaded', async () => {
    const appId = await submit();
    const { document } = await rehab().documents.requestUpload(parentA, appId, {
      kind: 'diagnosis',
      contentType: 'image/jpeg',
      size: JPEG.length,
    });
    await expect(rehab().documents.completeUpload(parentA, appId, document.documentId)).rejects.toMatchObject(
      {
        code: 'DOCUMENT_NOT_UPLOADED',
      },
    );
  });

  it('gives a view link that works, then expires; the view is in the application’s history', async () => {
    const appId = await submit();
    const { document, upload } = await rehab().documents.requestUpload(parentA, appId, {
      kind: 'diagnosis',
      contentType: 'image/jpeg',
      size: JPEG.length,
    });
    await put(upload, JPEG);
    await rehab().documents.completeUpload(parentA, appId, document.documentId);
    const link = await rehab(1).documents.link(township, appId, document.documentId);
    const fresh = await fetch(link.url);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await fresh.arrayBuffer())).toEqual(JPEG);
    await new Promise((r) => setTimeout(r, 2_500));
    const stale = await fetch(link.url);
    expect(stale.status).toBe(403);
    expect(await stale.text()).toContain('expired');
    const events = (await repo.listEvents(appId)) as unknown as RehabEvent[];
    expect(events.filter((e) => e.type === 'document-viewed')).toEqual([
      expect.objectContaining({
        actor: { sub: township.sub, role: 'caseworker', agency: 'dpf-township' },
        data: { documentId: document.documentId, kind: 'diagnosis' },
      }),
    ]);
  });
});
