/**
 * The documents of a rehab-aid application (诊断证明, 残疾人证, 户口簿 pages) are the kernel's case
 * documents (core/case-documents.ts): this module declares its kinds, object prefix and limit,
 * and keeps its records where they have always been (`RDOC#` items in the case's partition,
 * written with their events by the rehab store, which also purges them at retention's end).
 */
import type { CaseDocumentStore, DocumentsSpec } from '#core/case-documents';
import { TooManyDocumentsError } from '#core/case-documents';
import { REHAB_SERVICE_ID } from '#services/rehab-aid/definition';
import type { RehabStore } from '#services/rehab-aid/ports';
import { documentKinds } from '#services/rehab-aid/types';

export const MAX_DOCUMENTS_PER_APPLICATION = 20;

/** objects at `rehab/<appId>/<documentId>`: no names, no ID numbers */
export const rehabDocuments: DocumentsSpec = {
  service: REHAB_SERVICE_ID,
  kinds: documentKinds,
  prefix: 'rehab',
  max: MAX_DOCUMENTS_PER_APPLICATION,
};

/** The rehab store's document records as the kernel's CaseDocumentStore. */
export function documentRecords(store: RehabStore): CaseDocumentStore {
  return {
    async create(doc, event, max) {
      const held = (await store.listDocuments(doc.appId)).filter((d) => d.status !== 'refused').length;
      // a fast refusal; the store's write keeps the limit under concurrency
      if (held >= max) throw new TooManyDocumentsError(max);
      await store.createDocument(doc, event, { max, held });
    },
    finish: (doc, event) => store.finishDocument(doc, event),
    list: (appId) => store.listDocuments(appId),
    get: (appId, documentId) => store.getDocument(appId, documentId),
    appendEvent: (event) => store.appendEvent(event),
  };
}
