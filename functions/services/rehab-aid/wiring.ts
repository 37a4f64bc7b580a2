/**
 * Builds the rehab-aid use cases for the handlers that need them (the rehab HTTP module and the
 * document-retention job). Environment (besides wiring's): DOCUMENTS_BUCKET (the private
 * documents bucket, read when a document is first touched), S3_ENDPOINT (local only),
 * DOCUMENTS_SSE (`AES256` | `aws:kms`; unset: the bucket's default encryption),
 * DOCUMENTS_KMS_KEY_ID (with aws:kms), DOCUMENT_LINK_SECONDS (view link lifetime, default 300),
 * DOCUMENTS_REQUIRE_SSE (`false` only locally: s3rver cannot report encryption).
 */

import type { ServerSideEncryption } from '@aws-sdk/client-s3';
import { ulid } from 'ulid';
import { makeS3Client } from '#adapters/s3/client';
import { S3DocumentStorage } from '#adapters/s3/document-storage';
import { installModules } from '#core/catalog';
import type { DocumentStorage } from '#services/rehab-aid/ports';
import { RehabService } from '#services/rehab-aid/service';
import { DynamoRehabStore } from '#services/rehab-aid/store';
import { optionalEnv, requireEnv } from '../../shared/env.ts';
import { wiring } from '../../shared/wiring.ts';
import { rehabAidModule } from './module.ts';

// this function serves this module's cases only: no other service is installed in it
installModules([rehabAidModule]);

let store: DynamoRehabStore | undefined;
let files: DocumentStorage | undefined;

/** The bucket is needed only by the document routes; it is read when first used. */
const lazyFiles: DocumentStorage = {
  presignUpload: (input) => documents().presignUpload(input),
  inspect: (key) => documents().inspect(key),
  remove: (key) => documents().remove(key),
  presignDownload: (input) => documents().presignDownload(input),
};

function documents(): DocumentStorage {
  files ??= new S3DocumentStorage(makeS3Client(), requireEnv('DOCUMENTS_BUCKET'), {
    sse: optionalEnv('DOCUMENTS_SSE') as ServerSideEncryption | undefined,
    kmsKeyId: optionalEnv('DOCUMENTS_KMS_KEY_ID'),
  });
  return files;
}

/** The rehab store, the documents storage and the clock, for jobs that need no use cases. */
export function rehabAdapters() {
  const w = wiring();
  store ??= new DynamoRehabStore(w.doc, w.tableName);
  return { store, files: lazyFiles, clock: w.clock, ids: { newId: ulid } };
}

export async function rehab(): Promise<RehabService> {
  const w = wiring();
  const { store, clock } = rehabAdapters();
  return new RehabService({
    apps: w.repo,
    appService: await w.service(),
    store,
    files: lazyFiles,
    clock,
    ids: { newId: ulid },
    childKey: (idNumber) => w.cipher.blindIndex(idNumber),
    viewLinkSeconds: Number(optionalEnv('DOCUMENT_LINK_SECONDS', '300')),
    requireEncryption: optionalEnv('DOCUMENTS_REQUIRE_SSE', 'true') !== 'false',
  });
}
