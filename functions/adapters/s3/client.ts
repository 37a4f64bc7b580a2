/**
 * One S3 client per process (cold start). Locally it points at the runtime's S3-compatible
 * server on loopback (S3_ENDPOINT, path-style); in AWS it uses the function's role. Checksums
 * are computed only when an operation requires them, so presigned PUT URLs carry no checksum of
 * an empty body that the browser's upload would then fail.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { optionalEnv } from '#shared/env';
import { sdkHttpTimeouts } from '../dependency-failure.ts';

export function makeS3Client(endpoint = optionalEnv('S3_ENDPOINT')): S3Client {
  return new S3Client({
    region: optionalEnv('AWS_REGION', 'ap-east-1'),
    requestHandler: sdkHttpTimeouts(),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(endpoint
      ? {
          endpoint,
          forcePathStyle: true,
          credentials: {
            accessKeyId: optionalEnv('S3_ACCESS_KEY_ID', 'local'),
            secretAccessKey: optionalEnv('S3_SECRET_ACCESS_KEY', 'local'),
          },
          maxAttempts: 3,
        }
      : {}),
  });
}
