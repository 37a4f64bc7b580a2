/**
 * Documents attached to a case, for any service: the file types and size allowed, the
 * magic-number check that tells what a file really is whatever the uploader claimed, and the
 * object-storage port (S3 with presigned URLs in production). A service decides which kinds of
 * document it asks for and where its objects live (no personal data in keys).
 */

export const documentTypes = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type DocumentType = (typeof documentTypes)[number];

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
/** How many leading bytes the magic-number check reads. */
export const SNIFF_BYTES = 16;

export const EXTENSIONS: Record<DocumentType, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};
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

export interface UploadTicket {
  url: string;
  method: 'PUT';
  /** headers the client must send exactly as given: they are part of the signature */
  headers: Record<string, string>;
  expiresAt: string;
}

export interface StoredObject {
  size: number;
  contentType: string | undefined;
  /** server-side encryption applied (AES256 or aws:kms) */
  encryption: string | undefined;
  /** the first bytes, for the magic-number check */
  head: Uint8Array;
}

export interface DocumentStorage {
  presignUpload(input: {
    key: string;
    contentType: DocumentType;
    size: number;
    expiresInSeconds: number;
  }): Promise<UploadTicket>;
  /** HEAD plus the first bytes; null when nothing was uploaded */
  inspect(key: string): Promise<StoredObject | null>;
  remove(key: string): Promise<void>;
  presignDownload(input: {
    key: string;
    contentType: string;
    fileName: string;
    expiresInSeconds: number;
  }): Promise<{ url: string; expiresAt: string }>;
}
