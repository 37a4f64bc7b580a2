/**
 * The documents bucket of this environment, built when a document is first touched (the other
 * routes of a function need none). Environment: DOCUMENTS_BUCKET, S3_ENDPOINT (local only),
 * DOCUMENTS_SSE (`AES256` | `aws:kms`; unset: the bucket's default encryption),
 * DOCUMENTS_KMS_KEY_ID (with aws:kms), DOCUMENTS_REQUIRE_SSE (`false` only locally: s3rver cannot
 * report encryption).
 */
import type { ServerSideEncryption } from '@aws-sdk/client-s3';
import { makeS3Client } from '#adapters/s3/client';
import { S3DocumentStorage } from '#adapters/s3/document-storage';
import type { DocumentStorage } from '#core/documents';
import { optionalEnv, requireEnv } from './env.ts';

let files: S3DocumentStorage | undefined;

function storage(): S3DocumentStorage {
  files ??= new S3DocumentStorage(makeS3Client(), requireEnv('DOCUMENTS_BUCKET'), {
    sse: optionalEnv('DOCUMENTS_SSE') as ServerSideEncryption | undefined,
    kmsKeyId: optionalEnv('DOCUMENTS_KMS_KEY_ID'),
  });
  return files;
}

/** The documents storage, its client made at the first call. */
export const documentStorage: DocumentStorage = {
  presignUpload: (input) => storage().presignUpload(input),
  inspect: (key) => storage().inspect(key),
  remove: (key) => storage().remove(key),
  presignDownload: (input) => storage().presignDownload(input),
};

/** Whether uploads must report server-side encryption (all but the local s3rver). */
export const documentsRequireEncryption = (): boolean =>
  optionalEnv('DOCUMENTS_REQUIRE_SSE', 'true') !== 'false';
