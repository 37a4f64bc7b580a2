/** The DocumentStorage contract on the S3 adapter, on the local S3 server that `npm start` runs. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeS3Client } from '#adapters/s3/client';
import { S3DocumentStorage } from '#adapters/s3/document-storage';
import { startS3Local } from '../../local/s3-local.ts';
import { describeDocumentStorageContract } from './document-storage.contract.ts';

const BUCKET = 'contract-documents';

describeDocumentStorageContract('S3', async () => {
  const s3 = await startS3Local({ dir: mkdtempSync(join(tmpdir(), 's3-')), buckets: [BUCKET] });
  process.env.S3_ACCESS_KEY_ID = s3.credentials.accessKeyId;
  process.env.S3_SECRET_ACCESS_KEY = s3.credentials.secretAccessKey;
  return {
    storage: new S3DocumentStorage(makeS3Client(s3.endpoint), BUCKET, { sse: 'AES256' }),
    async upload(ticket, bytes) {
      // fetch sets the length itself from the body
      const { 'content-length': _, ...headers } = ticket.headers;
      const res = await fetch(ticket.url, { method: ticket.method, headers, body: bytes });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`upload refused: ${res.status}`);
    },
    async download(url) {
      const res = await fetch(url);
      const bytes = new Uint8Array(await res.arrayBuffer());
      return res.ok ? bytes : null;
    },
    drop: () => s3.stop(),
  };
});
