/**
 * What differs between AWS partitions for names the stacks spell out themselves (condition
 * values, CSP origins): the DNS suffix of service endpoints. ARNs and service principals are
 * never spelled here: CDK renders them for the stack's partition (formatArn, ServicePrincipal).
 */
import { RegionInfo } from 'aws-cdk-lib/region-info';

/** `amazonaws.com`, or `amazonaws.com.cn` in the China regions (aws-cn). */
export function domainSuffixOf(region: string): string {
  return RegionInfo.get(region).domainSuffix ?? 'amazonaws.com';
}

/**
 * The `kms:ViaService` value(s) for a service in a region. In the China regions the name under
 * the partition's own suffix is listed with the global spelling (aws-cdk-lib itself writes the
 * latter for Secrets Manager there): the condition stays on the one service in the one region
 * whichever spelling KMS reports.
 */
export function viaService(service: string, region: string): string | string[] {
  const suffix = domainSuffixOf(region);
  const name = `${service}.${region}.${suffix}`;
  return suffix === 'amazonaws.com' ? name : [name, `${service}.${region}.amazonaws.com`];
}
