/**
 * Rules for the documents of a rehab-aid application (诊断证明, 残疾人证, 户口簿 pages): the types
 * and size allowed, where an object lives (no personal data in keys), and the magic-number check
 * that tells what a file really is, whatever the uploader claimed.
 */
import { type DocumentType, EXTENSIONS } from '#core/documents';
import type { DocumentKind } from '#services/rehab-aid/types';

export {
  MAX_DOCUMENT_BYTES,
  SNIFF_BYTES,
  sniffType,
  type UploadProblem,
  uploadProblem,
} from '#core/documents';

export const MAX_DOCUMENTS_PER_APPLICATION = 20;
/** How long a presigned upload URL stays valid. */
export const UPLOAD_URL_SECONDS = 15 * 60;
/** How long a caseworker's view link stays valid. */
export const DEFAULT_VIEW_LINK_SECONDS = 5 * 60;

export const objectKey = (appId: string, documentId: string) => `rehab/${appId}/${documentId}`;

/** The download name: the kind and id only, never the uploader's original file name. */
export const downloadName = (kind: DocumentKind, documentId: string, type: DocumentType) =>
  `${kind}-${documentId}.${EXTENSIONS[type]}`;
