/**
 * Builds this module's use cases for its HTTP function and its lifecycle job, from the platform's
 * container (client, table, clock, calendar). Only this module is installed in those functions.
 */
import { ulid } from 'ulid';
import { DynamoCaseDocumentStore } from '#adapters/dynamodb/case-document-store';
import { CaseDocuments } from '#core/case-documents';
import { installModules } from '#core/catalog';
import { ALLOWANCE_SERVICE_ID } from '#services/child-living-allowance/definition';
import { documentKinds } from '#services/child-living-allowance/reference';
import { AllowanceService } from '#services/child-living-allowance/service';
import { AllowanceStore } from '#services/child-living-allowance/store';
import { documentStorage, documentsRequireEncryption } from '../../shared/documents-wiring.ts';
import { optionalEnv } from '../../shared/env.ts';
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
    files: documentStorage,
    clock: w.clock,
    ids: { newId: ulid },
    viewLinkSeconds: Number(optionalEnv('DOCUMENT_LINK_SECONDS', '300')),
    requireEncryption: documentsRequireEncryption(),
  });
}
