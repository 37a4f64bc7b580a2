/**
 * The web console: a private S3 bucket behind CloudFront (origin access control), security
 * headers on every response, SPA fallback to index.html, standard logs to the access-log bucket.
 * `deploy()` uploads a built web/dist plus a generated config.json (API URLs, user pools, the
 * hosted-UI domains the console signs in through).
 */
import { DefaultStackSynthesizer, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  CachePolicy,
  type CfnDistribution,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { domainSuffixOf } from '../config/partition.ts';
import type { StageConfig } from '../config/stage-config.ts';
import { acknowledge } from './nag.ts';
import { SecureBucket } from './secure-bucket.ts';

export interface ConsoleSiteProps {
  config: StageConfig;
  accessLogs: Bucket;
  /**
   * Base URLs of the user pools' hosted-UI domains: the console exchanges the authorization code
   * at their /oauth2/token endpoint with fetch, so CSP connect-src must name them.
   */
  authOrigins?: string[];
}

/** The console build's content-hashed files (Vite's `build.assetsDir`). */
export const HASHED_ASSETS = 'assets';
/** Cache-Control of a content-hashed file: a year, never revalidated. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

export class ConsoleSite extends Construct {
  readonly bucket: SecureBucket;
  readonly distribution: Distribution;
  /** `https://<custom domain or CloudFront domain>`: the CORS origin of the APIs. */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    const { config } = props;
    const region = Stack.of(this).region;
    const suffix = domainSuffixOf(region);
    // CloudFront in the China regions has no origin access control (the resource type is not
    // recognized there): it reaches the bucket with an origin access identity (docs/deploy.md).
    const china = RegionInfo.get(region).partition === 'aws-cn';

    this.bucket = new SecureBucket(this, 'Bucket', {
      accessLogs: { bucket: props.accessLogs, prefix: 'console' },
      removalPolicy: config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    const csp = [
      "default-src 'self'",
      "script-src 'self'",
      // Mermaid renders workflow diagrams as SVG with inline styles.
      "style-src 'self' 'unsafe-inline'",
      `img-src 'self' data: blob: https://*.s3.${region}.${suffix}`,
      "font-src 'self'",
      [
        "connect-src 'self'",
        `https://*.execute-api.${region}.${suffix}`,
        ...(config.identity.kind === 'cognito' ? [`https://cognito-idp.${region}.${suffix}`] : []),
        ...(props.authOrigins ?? []),
        `https://*.s3.${region}.${suffix}`,
      ].join(' '),
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "object-src 'none'",
    ].join('; ');
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `Onestop ${config.stage} console security headers`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        // Modern guidance: disable the legacy XSS auditor; the CSP above does the job.
        xssProtection: { protection: false, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Permissions-Policy',
            value: 'camera=(), microphone=(), geolocation=(), payment=()',
            override: true,
          },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    const domain = config.consoleDomain;
    this.distribution = new Distribution(this, 'Cdn', {
      comment: `Onestop ${config.stage} console`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: china
          ? S3BucketOrigin.withOriginAccessIdentity(this.bucket)
          : S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
      // Client-side routes: unknown paths render the app, which shows its own 404.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.minutes(1),
      })),
      // CloudFront China has its own four edges (Beijing, Shanghai, Zhongwei, Shenzhen): no price
      // classes there, and HTTP/2 only until HTTP/3 is documented for it.
      httpVersion: china ? HttpVersion.HTTP2 : HttpVersion.HTTP2_AND_3,
      // Includes the Hong Kong, Taiwan and Singapore edges nearest to mainland users.
      ...(china ? {} : { priceClass: PriceClass.PRICE_CLASS_200 }),
      enableLogging: true,
      logBucket: props.accessLogs,
      logFilePrefix: 'cloudfront/console/',
      ...(domain?.certificateArn
        ? {
            domainNames: [domain.name],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    if (domain?.iamCertificateId) {
      // CloudFront China: an IAM server certificate (no ACM there), which the L2 construct does
      // not take; the alias is the ICP-recorded domain, served by SNI.
      const cfn = this.distribution.node.defaultChild as CfnDistribution;
      cfn.addPropertyOverride('DistributionConfig.Aliases', [domain.name]);
      cfn.addPropertyOverride('DistributionConfig.ViewerCertificate', {
        IamCertificateId: domain.iamCertificateId,
        SslSupportMethod: 'sni-only',
        MinimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      });
    }
    this.origin = `https://${domain ? domain.name : this.distribution.distributionDomainName}`;

    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'No geo restriction: parents living or working abroad apply too (a child born to parents working in another country), and the console is static code with no data; every data access is authorized at the API.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'A CloudFront WAF web ACL must live in us-east-1 while this stack deploys to one region; the distribution serves only static, public build files, and the APIs that hold data are throttled per stage and require Cognito JWTs.',
    );
    if (china) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR7',
        'CloudFront in the China regions does not offer origin access control (CloudFormation there does not recognize AWS::CloudFront::OriginAccessControl); the bucket stays private and readable only by this distribution’s origin access identity.',
      );
    }
    if (domain?.iamCertificateId) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'The viewer certificate is the IAM server certificate set by a property override (CloudFront China has no ACM) with MinimumProtocolVersion TLSv1.2_2021; cdk-nag reads the construct before the override and sees the default certificate.',
      );
    } else if (!domain) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'Without a custom domain CloudFront serves its shared *.cloudfront.net certificate, whose security policy cannot be raised; setting consoleDomain (as prod should) switches to TLSv1.2_2021.',
      );
    }
  }

  /**
   * Uploads the built console and its runtime configuration, then invalidates the entry points.
   * Two uploads, by how a file may be cached (issue 18): the build's hashed files (`assets/`,
   * whose names change with their content) for a year and `immutable`, so a returning parent's
   * phone asks for none of them again; everything else (index.html, config.json, the API page)
   * `no-cache`, so the browser revalidates it and sees a new release at once. CloudFront's
   * CachingOptimized policy follows these headers. Each upload prunes only its own files.
   */
  deploy(assetDir: string, runtimeConfig: Record<string, string>): BucketDeployment {
    new BucketDeployment(this, 'DeployAssets', {
      sources: [Source.asset(assetDir)],
      destinationBucket: this.bucket,
      exclude: ['*'],
      include: [`${HASHED_ASSETS}/*`],
      cacheControl: [CacheControl.fromString(IMMUTABLE)],
      prune: true,
      memoryLimit: 256,
    });
    const deployment = new BucketDeployment(this, 'Deploy', {
      sources: [Source.asset(assetDir), Source.jsonData('config.json', runtimeConfig)],
      destinationBucket: this.bucket,
      exclude: [`${HASHED_ASSETS}/*`],
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      prune: true,
      memoryLimit: 256,
    });
    this.acknowledgeDeploymentHandler();
    return deployment;
  }

  /** BucketDeployment runs CDK's own singleton function, whose role and runtime CDK fixes. */
  private acknowledgeDeploymentHandler() {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (!handler) return;
    const consoleBucketId = stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    const partition = RegionInfo.get(stack.region).partition ?? 'aws';
    const assets = `arn:${partition}:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-${stack.region}/*`;
    const findings: Array<[string, string]> = [
      [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'The console upload runs in aws-cdk-lib’s BucketDeployment singleton, which attaches the basic execution role for its own logs; it runs only during deployments and its role is not configurable per policy.',
      ],
      [
        'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'BucketDeployment reads the console build from the CDK assets bucket with CDK’s read grant; the wildcard covers read actions on that one bucket.',
      ],
      [
        'AwsSolutions-IAM5[Action::s3:GetObject*]',
        'BucketDeployment reads the console build from the CDK assets bucket with CDK’s read grant; the wildcard covers object read actions on that one bucket.',
      ],
      [
        'AwsSolutions-IAM5[Action::s3:List*]',
        'BucketDeployment lists the CDK assets bucket and the console bucket to copy and prune the build; both buckets are named resources.',
      ],
      [
        `AwsSolutions-IAM5[Resource::${assets}]`,
        'CDK asset objects are named by content hash at synthesis; the read grant covers objects of the bootstrap assets bucket only.',
      ],
      [
        'AwsSolutions-IAM5[Action::s3:Abort*]',
        'BucketDeployment aborts its own failed multipart uploads of console files; scoped to the console bucket.',
      ],
      [
        'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        'prune: true removes files of the previous console build from the console bucket, so stale bundles do not linger; scoped to the console bucket.',
      ],
      [
        `AwsSolutions-IAM5[Resource::<${consoleBucketId}.Arn>/*]`,
        'The upload writes every file of the console build, whose names carry content hashes; scoped to the console bucket.',
      ],
      [
        'AwsSolutions-IAM5[Resource::*]',
        'CloudFront invalidation actions have no resource-level scoping in BucketDeployment’s grant; the handler invalidates only /index.html and /config.json of this distribution.',
      ],
      [
        'AwsSolutions-L1',
        'The BucketDeployment handler runtime is pinned by aws-cdk-lib and moves forward with it; it runs only while deploying the console.',
      ],
    ];
    for (const [id, reason] of findings) acknowledge(handler, id, reason);
  }
}
