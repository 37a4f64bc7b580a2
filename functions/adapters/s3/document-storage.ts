/**
 * DocumentStorage on S3. Uploads go straight from the browser to the private bucket with a
 * presigned PUT whose signature covers the content type, the exact content length and the
 * server-side encryption header, so S3 itself refuses another type, another size or an
 * unencrypted write. Views are presigned GETs that live a few minutes and download as an
 * attachment. The bucket is never public; the function's role (or the local key) signs.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  PutObjectCommand,
  type S3Client,
  type ServerSideEncryption,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  type DocumentStorage,
  type DocumentType,
  SNIFF_BYTES,
  type StoredObject,
  type UploadTicket,
} from '#core/documents';

export interface DocumentStorageOptions {
  /**
   * The SSE header every upload must carry: `AES256` (S3-managed keys, and locally) or `aws:kms`
   * with `kmsKeyId`. Omitted: the bucket's default encryption applies (the CDK bucket: its KMS
   * key); the check after upload still requires that the object reports encryption.
   */
  sse?: ServerSideEncryption | undefined;
  kmsKeyId?: string | undefined;
}

export class S3DocumentStorage implements DocumentStorage {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly opts: DocumentStorageOptions = {},
  ) {}

  async presignUpload(input: {
    key: string;
    contentType: DocumentType;
    size: number;
    expiresInSeconds: number;
  }): Promise<UploadTicket> {
    const { sse, kmsKeyId } = this.opts;
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: input.key,
      ContentType: input.contentType,
      ContentLength: input.size,
      ...(sse ? { ServerSideEncryption: sse } : {}),
      ...(sse === 'aws:kms' && kmsKeyId ? { SSEKMSKeyId: kmsKeyId } : {}),
    });
    const url = await getSignedUrl(this.s3, command, {
      expiresIn: input.expiresInSeconds,
      // content-type is unsigned by default; both it and the length become part of the signature
      signableHeaders: new Set(['content-type', 'content-length']),
    });
    return {
      url,
      method: 'PUT',
      headers: {
        'content-type': input.contentType,
        'content-length': String(input.size),
        ...(sse ? { 'x-amz-server-side-encryption': sse } : {}),
        ...(sse === 'aws:kms' && kmsKeyId ? { 'x-amz-server-side-encryption-aws-kms-key-id': kmsKeyId } : {}),
      },
      expiresAt: new Date(Date.now() + input.expiresInSeconds * 1000).toISOString(),
    };
  }

  async inspect(key: string): Promise<StoredObject | null> {
    let head: HeadObjectCommandOutput;
    try {
      head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
    const size = head.ContentLength ?? 0;
    let bytes: Uint8Array = new Uint8Array();
    if (size > 0) {
      const res = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${SNIFF_BYTES - 1}` }),
      );
      bytes = (await res.Body?.transformToByteArray())?.subarray(0, SNIFF_BYTES) ?? bytes;
    }
    return { size, contentType: head.ContentType, encryption: head.ServerSideEncryption, head: bytes };
  }

  async remove(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async presignDownload(input: {
    key: string;
    contentType: string;
    fileName: string;
    expiresInSeconds: number;
  }): Promise<{ url: string; expiresAt: string }> {
    const url = await getSignedUrl(
      this.s3,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: input.key,
        ResponseContentType: input.contentType,
        ResponseContentDisposition: `attachment; filename="${input.fileName}"`,
        ResponseCacheControl: 'no-store',
      }),
      { expiresIn: input.expiresInSeconds },
    );
    return { url, expiresAt: new Date(Date.now() + input.expiresInSeconds * 1000).toISOString() };
  }
}

function isMissing(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}
