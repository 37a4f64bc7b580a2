/**
 * Environment, read once per cold start. `requireEnv` throws a clear error naming the missing
 * variable; optional ones have documented defaults. Variables:
 *   TABLE_NAME              the single table (required)
 *   STAGE                   local | dev | prod
 *   AWS_REGION              region (set by Lambda; ap-east-1 locally)
 *   LOG_LEVEL               debug | info | warn | error (default info)
 *   CONSOLE_ORIGIN          allowed CORS origin of the console, and the link in e-mails
 *   CITIZEN_ISSUER          AWS: the citizens' issuer, Cognito pool or OIDC provider (→ role parent)
 *   STAFF_ISSUER            AWS: the staff issuer (role from STAFF_ROLE_CLAIM)
 *   FIELD_KEYS_CIPHERTEXT   AWS: KMS ciphertexts of the ID-number keys, newest first (docs/security.md)
 *   DATA_KEY_FILE           local: the file holding those keys in clear (created on first start)
 *   MAIL_FROM               sender of notifications
 *   SES_CONFIGURATION_SET   AWS: SES configuration set (bounces, complaints)
 *   MAIL_TRANSPORT          ses (default) | smtp (the China stage's relay)
 *   SMTP_HOST, SMTP_PORT    the relay (default 127.0.0.1, 465 with implicit TLS else 587)
 *   SMTP_TLS                implicit | starttls (default) | off (local servers only)
 *   SMTP_SECRET_ARN         AWS: Secrets Manager secret {"username","password"} of the relay account
 *   SMTP_TIMEOUT_MS         connect, greeting and idle-socket timeout of the relay (default 10000)
 *   SMS_TRANSPORT           aws | aliyun | sink | off (default: sink if SMS_SINK_URL, aws if SMS_ORIGINATION_ARN)
 *   ALIYUN_SMS_ENDPOINT, ALIYUN_SMS_REGION, ALIYUN_SMS_SIGN_NAME, ALIYUN_SMS_STATUS_TEMPLATE,
 *   ALIYUN_SMS_CODE_TEMPLATE, ALIYUN_SMS_SECRET_ARN   Alibaba Cloud SMS (China stage; adapters/sms/aliyun.ts)
 *   SMS_ORIGINATION_ARN     AWS: the one origination identity (sender ID / number) texts go from
 *   SMS_CONFIGURATION_SET   AWS: End User Messaging configuration set; SMS_MAX_PRICE per part (USD)
 *   SMS_DAILY_CAP           texts per China day, all cases together (default 2000; spend guard)
 *   STAFF_ROLE_CLAIM        the staff token's role claim (default cognito:groups; OIDC: configured)
 *   AGENCY_CLAIM, TOWNSHIP_CLAIM   the staff token's agency/township claims (OIDC providers)
 *   SUBMISSIONS_PER_MINUTE  per-user submission limit (default 10)
 *   DOCUMENTS_BUCKET        the private documents bucket (required by modules that take uploads)
 *   DOCUMENT_LINK_SECONDS   lifetime of presigned document links (default 300)
 *   DOCUMENTS_SSE, DOCUMENTS_KMS_KEY_ID, DOCUMENTS_REQUIRE_SSE   document encryption settings
 *   DRAFT_TTL_DAYS          days a parent's draft is kept after its last save (default 30)
 *   MAX_DRAFTS_PER_USER     drafts one parent may keep at once (default 20)
 *   DRAFT_SAVES_PER_MINUTE  per-user draft saves per minute (default 120)
 *   STATS_CONFIG_TTL_MS     metrics consumer: cache time of its configuration
 *   SDK_REQUEST_TIMEOUT_MS  longest silence on an AWS SDK request's socket (default 5000)
 * Local runtime only (never set in AWS):
 *   SMS_SINK_URL            the local SMS sink (local/sms-sink.ts)
 *   ALIYUN_SMS_ACCESS_KEY_ID, ALIYUN_SMS_ACCESS_KEY_SECRET   a local provider fake's key pair
 *   DYNAMODB_ENDPOINT, SES_ENDPOINT, S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY
 *   CLOCK_OFFSET_MS         shifts the clock for timer demos
 */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Missing required environment variable ${name} (see functions/shared/env.ts)`);
  }
  return value;
}

export function optionalEnv(name: string, fallback: string): string;
export function optionalEnv(name: string): string | undefined;
export function optionalEnv(name: string, fallback?: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}
