/**
 * The kernel's case documents, as a module takes them (the child living allowance's evidence of
 * each parent's situation), through the module's HTTP handler on DynamoDB Local and the local S3:
 * presigned upload, the check after it (a wrong file is deleted and refused), the list, and view
 * links that are each an event in the case history; who may do what.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '#core/id-number';
import { type S3Local, startS3Local } from '../../local/s3-local.ts';
import { fixtureForm } from '../support/forms.ts';
import { type Claims, setupHandlers } from '../support/invoke.ts';

const BUCKET = 'case-documents-test';
const carer: Claims = { sub: 'carer-doc', role: 'parent', email: 'c@example.com' };
const other: Claims = { sub: 'parent-other', role: 'parent' };
const township: Claims = {
  sub: 'cw-ca-liushi',
  role: 'caseworker',
  agency: 'ca-township',
  township: 'liushi',
};
const elsewhere: Claims = {
  sub: 'cw-ca-lecheng',
  role: 'caseworker',
  agency: 'ca-township',
  township: 'lecheng',
};
const PDF = new TextEncoder().encode(`%PDF-1.4\n${'%'.repeat(500)}\n%%EOF\n`);
const HTML = new TextEncoder().encode(`<html>${' '.repeat(100)}</html>`);

let s3: S3Local;
let invoke: Awaited<ReturnType<typeof setupHandlers>>['invoke'];
let n = 800;

beforeAll(async () => {
  s3 = await startS3Local({ dir: mkdtempSync(join(tmpdir(), 's3-')), buckets: [BUCKET] });
  Object.assign(process.env, {
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    DOCUMENTS_BUCKET: BUCKET,
    DOCUMENTS_REQUIRE_SSE: 'false',
  });
  ({ invoke } = await setupHandlers());
});
afterAll(async () => {
  await s3?.stop();
});

async function submit(by: Claims = carer) {
  const form = fixtureForm('child-living-allowance');
  form.child.idNumber = makeIdNumber('330382', form.child.birthDate, String(++n));
  const res = await invoke('POST /applications', by, {
    body: { service: 'child-living-allowance', form },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function upload(id: string, bytes: Uint8Array<ArrayBuffer>, contentType = 'application/pdf') {
  const ticket = await invoke('POST /child-allowance/applications/{id}/documents', carer, {
    params: { id },
    body: { kind: 'father-evidence', contentType: 'application/pdf', size: bytes.length },
  });
  expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
  const { 'content-length': _, ...headers } = ticket.body.upload.headers as Record<string, string>;
  const put = await fetch(ticket.body.upload.url, {
    method: 'PUT',
    headers: { ...headers, 'content-type': contentType },
    body: bytes,
  });
  await put.arrayBuffer();
  const documentId = ticket.body.document.documentId as string;
  const done = await invoke(
    'POST /child-allowance/applications/{id}/documents/{documentId}/complete',
    carer,
    {
      params: { id, documentId },
      body: {},
    },
  );
  return { documentId, done, objectKey: ticket.body.document.objectKey as string };
}

describe('case documents of a module', () => {
  it('takes the evidence of a parent’s situation; the township views it, each view audited', async () => {
    const id = await submit();
    const { documentId, done, objectKey } = await upload(id, PDF);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ status: 'uploaded', kind: 'father-evidence' });
    expect(objectKey).toBe(`child-living-allowance/${id}/${documentId}`);

    const list = await invoke('GET /child-allowance/applications/{id}/documents', township, {
      params: { id },
    });
    expect(list.body.items.map((d: any) => d.documentId)).toEqual([documentId]);
    const link = await invoke(
      'POST /child-allowance/applications/{id}/documents/{documentId}/link',
      township,
      {
        params: { id, documentId },
        body: {},
      },
    );
    expect(link.status).toBe(200);
    const file = await fetch(link.body.url);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PDF);
    await invoke('POST /child-allowance/applications/{id}/documents/{documentId}/link', carer, {
      params: { id, documentId },
      body: {},
    });
    const events = (await invoke('GET /applications/{id}/events', carer, { params: { id } })).body.items;
    const viewed = events.filter((e: any) => e.type === 'document-viewed');
    expect(viewed.map((e: any) => e.actor.sub).sort()).toEqual(['carer-doc', 'cw-ca-liushi']);
    expect(events.map((e: any) => e.type)).toEqual(
      expect.arrayContaining(['document-requested', 'document-uploaded']),
    );
  });

  it('refuses and deletes a file that is not what was declared', async () => {
    const id = await submit();
    const { done, objectKey } = await upload(id, HTML);
    expect(done.status).toBe(400);
    expect(done.body.error.code).toBe('DOCUMENT_REFUSED');
    expect((await fetch(`${s3.endpoint}/${BUCKET}/${objectKey}`)).status).not.toBe(200);
  });

  it('holds a case to 20 documents and refuses a check before the file arrived, with precise codes', async () => {
    const family: Claims = { sub: 'carer-limit', role: 'parent', email: 'l@example.com' };
    const id = await submit(family);
    const ask = () =>
      invoke('POST /child-allowance/applications/{id}/documents', family, {
        params: { id },
        body: { kind: 'other', contentType: 'application/pdf', size: 1000 },
      });
    const first = await ask();
    expect(first.status).toBe(201);
    const early = await invoke(
      'POST /child-allowance/applications/{id}/documents/{documentId}/complete',
      family,
      { params: { id, documentId: first.body.document.documentId }, body: {} },
    );
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('DOCUMENT_NOT_UPLOADED');
    for (let i = 1; i < 20; i++) expect((await ask()).status).toBe(201);
    const over = await ask();
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('TOO_MANY_DOCUMENTS');
    expect(over.body.error.messages.en).toMatch(/At most 20/);
    const list = await invoke('GET /child-allowance/applications/{id}/documents', family, { params: { id } });
    expect(list.body.items).toHaveLength(20);
  });

  it('lets only the family upload, and hides the case’s documents from others (404)', async () => {
    const id = await submit();
    const body = { kind: 'mother-evidence', contentType: 'image/png', size: 100 };
    for (const who of [other, township]) {
      const res = await invoke('POST /child-allowance/applications/{id}/documents', who, {
        params: { id },
        body,
      });
      expect(res.status).toBe(who === township ? 403 : 404);
    }
    for (const who of [other, elsewhere]) {
      const res = await invoke('GET /child-allowance/applications/{id}/documents', who, { params: { id } });
      expect(res.status).toBe(404);
    }
    const unknownKind = await invoke('POST /child-allowance/applications/{id}/documents', carer, {
      params: { id },
      body: { ...body, kind: 'passport' },
    });
    expect(unknownKind.status).toBe(400);
  });
});
