/**
 * The contract of DocumentStorage (functions/core/documents.ts), where rehab documents' files
 * live: a presigned upload ticket the browser PUTs to, the check after upload (size, type, first
 * bytes), view links and deletion. One suite, run against the in-memory fake (unit project) and
 * the S3 adapter on the local S3 server (integration project). Encryption is left out: the local
 * server never reports it (local/s3-local.ts), so only real S3 could hold the adapter to it.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DocumentStorage, SNIFF_BYTES, type UploadTicket } from '#core/documents';

export interface DocumentStorageUnderTest {
  storage: DocumentStorage;
  /** what the browser does with a ticket: send the bytes with the ticket's headers */
  upload(ticket: UploadTicket, bytes: Uint8Array<ArrayBuffer>): Promise<void>;
  /** what the browser does with a view link: the bytes, or null when there is nothing */
  download(url: string): Promise<Uint8Array | null>;
  drop?: () => Promise<void>;
}

const PDF = new TextEncoder().encode(`%PDF-1.7\n${'%'.repeat(500)}\n%%EOF\n`);
const key = () => `rehab/${ulid()}/${ulid()}`;

export function describeDocumentStorageContract(
  name: string,
  make: () => Promise<DocumentStorageUnderTest>,
): void {
  describe(`DocumentStorage contract (${name})`, () => {
    let impl: DocumentStorageUnderTest;
    let storage: DocumentStorage;
    beforeAll(async () => {
      impl = await make();
      storage = impl.storage;
    });
    afterAll(async () => {
      await impl.drop?.();
    });

    async function uploaded(k: string, bytes: Uint8Array<ArrayBuffer> = PDF) {
      const ticket = await storage.presignUpload({
        key: k,
        contentType: 'application/pdf',
        size: bytes.length,
        expiresInSeconds: 900,
      });
      await impl.upload(ticket, bytes);
    }

    it('hands out a PUT ticket that carries the declared type and exact length, valid for the time asked', async () => {
      const before = Date.now();
      const ticket = await storage.presignUpload({
        key: key(),
        contentType: 'image/png',
        size: 2048,
        expiresInSeconds: 900,
      });
      const after = Date.now();
      expect(ticket.method).toBe('PUT');
      expect(ticket.headers).toMatchObject({ 'content-type': 'image/png', 'content-length': '2048' });
      const expires = Date.parse(ticket.expiresAt);
      expect(expires).toBeGreaterThanOrEqual(before + 900_000);
      expect(expires).toBeLessThanOrEqual(after + 900_000);
    });

    it('knows nothing under a key before the upload', async () => {
      expect(await storage.inspect(key())).toBeNull();
    });

    it('reports an uploaded file’s size, type and first bytes only', async () => {
      const k = key();
      await uploaded(k);
      const stored = await storage.inspect(k);
      expect(stored).toMatchObject({ size: PDF.length, contentType: 'application/pdf' });
      expect([...(stored?.head ?? [])]).toEqual([...PDF.subarray(0, SNIFF_BYTES)]);
    });

    it('reports every byte of a file shorter than the sniffed head', async () => {
      const k = key();
      const tiny = new TextEncoder().encode('%PDF-1');
      await uploaded(k, tiny);
      expect([...((await storage.inspect(k))?.head ?? [])]).toEqual([...tiny]);
    });

    it('gives a view link to the file, valid for the time asked', async () => {
      const k = key();
      await uploaded(k);
      const before = Date.now();
      const link = await storage.presignDownload({
        key: k,
        contentType: 'application/pdf',
        fileName: 'diagnosis.pdf',
        expiresInSeconds: 300,
      });
      expect([...((await impl.download(link.url)) ?? [])]).toEqual([...PDF]);
      expect(Date.parse(link.expiresAt)).toBeGreaterThanOrEqual(before + 300_000);
    });

    it('removes a file, and removing a missing one is no error', async () => {
      const k = key();
      await uploaded(k);
      await storage.remove(k);
      expect(await storage.inspect(k)).toBeNull();
      await storage.remove(k);
      await storage.remove(key());
    });
  });
}
