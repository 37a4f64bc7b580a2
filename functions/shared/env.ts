/**
 * Environment, read once per cold start. `requireEnv` throws a clear error naming the missing
 * variable; optional ones have documented defaults. Variables:
 *   TABLE_NAME            the single table (required)
 *   AWS_REGION            region (default ap-east-1 locally; set by Lambda in AWS)
 *   DYNAMODB_ENDPOINT     local only: DynamoDB Local URL
 *   SES_ENDPOINT          local only: aws-ses-v2-local URL
 *   MAIL_FROM             sender address of notifications
 *   SES_CONFIGURATION_SET optional SES configuration set (AWS)
 *   CONSOLE_ORIGIN        allowed CORS origin of the console
 *   DATA_KEY_FILE         local only: file holding the field-encryption and blind-index keys
 *   KMS_KEY_ID            AWS: KMS key for envelope encryption of ID numbers
 *   STAGE                 local | dev | prod
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
