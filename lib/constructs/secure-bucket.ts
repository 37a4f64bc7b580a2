/**
 * A private S3 bucket with the project's non-negotiables: public access blocked, TLS 1.2+ only,
 * encrypted at rest, server access logs to the given bucket (unless it is the log bucket itself).
 */
import { Duration } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, type BucketProps } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface SecureBucketProps
  extends Omit<BucketProps, 'blockPublicAccess' | 'enforceSSL' | 'minimumTLSVersion' | 'publicReadAccess'> {
  /** Where server access logs go, under `s3/<logPrefix>/`; omit only for the log bucket itself. */
  accessLogs?: { bucket: Bucket; prefix: string };
}

export class SecureBucket extends Bucket {
  constructor(scope: Construct, id: string, { accessLogs, lifecycleRules, ...props }: SecureBucketProps) {
    super(scope, id, {
      encryption: BucketEncryption.S3_MANAGED,
      ...props,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      publicReadAccess: false,
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        ...(lifecycleRules ?? []),
      ],
      ...(accessLogs
        ? { serverAccessLogsBucket: accessLogs.bucket, serverAccessLogsPrefix: `s3/${accessLogs.prefix}/` }
        : {}),
    });
  }
}
