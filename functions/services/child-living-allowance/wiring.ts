/**
 * Builds this module's use cases for its HTTP function and its lifecycle job, from the platform's
 * container (client, table, clock, calendar). Only this module is installed in those functions.
 */
import type { ServerSideEncryption } from '@aws-sdk/client-s3';
import { ulid } from 'ulid';
import { DynamoCaseDocumentStore } from '#adapters/dynamodb/case-document-store';
import { makeS3Client } from '#adapters/s3/client';
import { S3DocumentStorage } from '#adapters/s3/document-storage';
import { CaseDocuments } from '#core/case-documents';
import { installModules } from '#core/catalog';
import type { DocumentStorage } from '#core/documents';
import { ALLOWANCE_SERVICE_ID } from '#services/child-living-allowance/definition';
import { documentKinds } from '#services/child-living-allowance/reference';
import { AllowanceService } from '#services/child-living-allowance/service';
import { AllowanceStore } from '#services/child-living-allowance/store';
import { optionalEnv, requireEnv } from '../../shared/env.ts';
import { wiring } from '../../shared/wiring.ts';
import { childLivingAllowanceModule } from './module.ts';

installModules([childLivingAllowanceModule]);

let store: AllowanceStore | undefined;

export async function allowanceService(): Promise<AllowanceService> {
  const w = wiring();
  store ??= new AllowanceStore(w.doc, w.tableName);
  return new AllowanceService({
    apps: w.repo,
    appService: await w.service(),
    store,
    clock: w.clock,
    ids: { newId: ulid },
    calendar: await w.getCalendar(),
  });
}

let files: S3DocumentStorage | undefined;

/** The bucket is read when a document is first touched (the other routes need none). */
function storage(): S3DocumentStorage {
  files ??= new S3DocumentStorage(makeS3Client(), requireEnv('DOCUMENTS_BUCKET'), {
    sse: optionalEnv('DOCUMENTS_SSE') as ServerSideEncryption | undefined,
    kmsKeyId: optionalEnv('DOCUMENTS_KMS_KEY_ID'),
  });
  return files;
}

const lazyFiles: DocumentStorage = {
  presignUpload: (input) => storage().presignUpload(input),
  inspect: (key) => storage().inspect(key),
  remove: (key) => storage().remove(key),
  presignDownload: (input) => storage().presignDownload(input),
};

/**
 * The family's evidence (the kernel's case documents). Environment: DOCUMENTS_BUCKET, S3_ENDPOINT
 * (local only), DOCUMENTS_SSE / DOCUMENTS_KMS_KEY_ID, DOCUMENT_LINK_SECONDS (default 300),
 * DOCUMENTS_REQUIRE_SSE (`false` only locally: s3rver cannot report encryption).
 */
export async function allowanceDocuments(): Promise<CaseDocuments> {
  const w = wiring();
  await w.ready();
  return new CaseDocuments({
    spec: { service: ALLOWANCE_SERVICE_ID, kinds: documentKinds, prefix: ALLOWANCE_SERVICE_ID },
    apps: w.repo,
    store: new DynamoCaseDocumentStore(w.doc, w.tableName),
    files: lazyFiles,
    clock: w.clock,
    ids: { newId: ulid },
    viewLinkSeconds: Number(optionalEnv('DOCUMENT_LINK_SECONDS', '300')),
    requireEncryption: optionalEnv('DOCUMENTS_REQUIRE_SSE', 'true') !== 'false',
  });
}
