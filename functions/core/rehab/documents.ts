/**
 * Rules for the documents of a rehab-aid application (诊断证明, 残疾人证, 户口簿 pages): the types
 * and size allowed, where an object lives (no personal data in keys), and the magic-number check
 * that tells what a file really is, whatever the uploader claimed.
 */
import type { DocumentKind, DocumentType } from './types.ts';

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
export const MAX_DOCUMENTS_PER_APPLICATION = 20;
/** How long a presigned upload URL stays valid. */
export const UPLOAD_URL_SECONDS = 15 * 60;
/** How long a caseworker's view link stays valid. */
export const DEFAULT_VIEW_LINK_SECONDS = 5 * 60;
/** How many leading bytes the magic-number check reads. */
export const SNIFF_BYTES = 16;

export const objectKey = (appId: string, documentId: string) => `rehab/${appId}/${documentId}`;

const EXTENSIONS: Record<DocumentType, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};

/** The download name: the kind and id only, never the uploader's original file name. */
export const downloadName = (kind: DocumentKind, documentId: string, type: DocumentType) =>
  `${kind}-${documentId}.${EXTENSIONS[type]}`;

/** What the bytes are, by their signature; undefined for anything else. */
export function sniffType(head: Uint8Array): DocumentType | undefined {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf'; // %PDF-
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  return undefined;
}

export type UploadProblem = 'missing' | 'too-large' | 'size-mismatch' | 'type-mismatch' | 'not-encrypted';

/**
 * The first problem of an uploaded object against what was declared, or null when it is fine.
 * `requireEncryption: false` only where the store cannot report encryption (the local s3rver).
 */
export function uploadProblem(
  declared: { contentType: DocumentType; size: number },
  stored: { size: number; contentType: string | undefined; encryption: string | undefined; head: Uint8Array },
  requireEncryption = true,
): UploadProblem | null {
  if (stored.size > MAX_DOCUMENT_BYTES) return 'too-large';
  if (stored.size !== declared.size) return 'size-mismatch';
  const storedType = stored.contentType?.split(';')[0]?.trim().toLowerCase();
  if (storedType !== declared.contentType) return 'type-mismatch';
  if (sniffType(stored.head) !== declared.contentType) return 'type-mismatch';
  if (requireEncryption && !stored.encryption) return 'not-encrypted';
  return null;
}
