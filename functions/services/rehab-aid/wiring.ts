/**
 * Builds the rehab-aid use cases for the handlers that need them (the rehab HTTP module and the
 * document-retention job). Environment (besides wiring's): DOCUMENTS_BUCKET (the private
 * documents bucket, read when a document is first touched), S3_ENDPOINT (local only),
 * DOCUMENTS_SSE (`AES256` | `aws:kms`; unset: the bucket's default encryption),
 * DOCUMENTS_KMS_KEY_ID (with aws:kms), DOCUMENT_LINK_SECONDS (view link lifetime, default 300),
 * DOCUMENTS_REQUIRE_SSE (`false` only locally: s3rver cannot report encryption).
 */

import { ulid } from 'ulid';
import { installModules } from '#core/catalog';
import { RehabService } from '#services/rehab-aid/service';
import { DynamoRehabStore } from '#services/rehab-aid/store';
import { documentStorage, documentsRequireEncryption } from '../../shared/documents-wiring.ts';
import { optionalEnv } from '../../shared/env.ts';
import { wiring } from '../../shared/wiring.ts';
import { rehabAidModule } from './module.ts';

// this function serves this module's cases only: no other service is installed in it
installModules([rehabAidModule]);

let store: DynamoRehabStore | undefined;

/** The rehab store, the documents storage and the clock, for jobs that need no use cases. */
export function rehabAdapters() {
  const w = wiring();
  store ??= new DynamoRehabStore(w.doc, w.tableName);
  return { store, files: documentStorage, clock: w.clock, ids: { newId: ulid } };
}

export async function rehab(): Promise<RehabService> {
  const w = wiring();
  const { store, clock } = rehabAdapters();
  return new RehabService({
    apps: w.repo,
    appService: await w.service(),
    store,
    files: documentStorage,
    clock,
    ids: { newId: ulid },
    childKey: (idNumber) => w.cipher.blindIndex(idNumber),
    viewLinkSeconds: Number(optionalEnv('DOCUMENT_LINK_SECONDS', '300')),
    requireEncryption: documentsRequireEncryption(),
  });
}
