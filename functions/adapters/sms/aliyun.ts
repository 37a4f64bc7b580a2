/**
 * Sends text messages through Alibaba Cloud SMS (阿里云短信服务, dysmsapi 2017-05-25 `SendSms`):
 * the China stage's domestic provider, where AWS End User Messaging SMS does not exist.
 *
 * A domestic provider sends only registered templates under a registered signature (签名), never
 * free text: the kernel's `SmsContent` picks the template and fills its variables (docs/deploy.md,
 * China regions, gives the template texts a city registers):
 * - `status` → the notification template, variables `service`, `number`, `status`; the console's
 *   link is fixed in the registered text (providers refuse links in variables);
 * - `code`   → the verification-code template, variable `code` (its validity is fixed in the text).
 *
 * Requests are signed with the provider's RPC signature (SignatureVersion 1.0: HMAC-SHA1 over the
 * canonicalised, percent-encoded parameters, key = AccessKeySecret + "&") with node:crypto; no SDK.
 * The AccessKey pair lives in Secrets Manager (ALIYUN_SMS_SECRET_ARN, JSON `{ "accessKeyId",
 * "accessKeySecret" }`), read once per cold start; locally (never in AWS) it may come from
 * ALIYUN_SMS_ACCESS_KEY_ID / ALIYUN_SMS_ACCESS_KEY_SECRET.
 *
 * Failures: throttling (`isv.BUSINESS_LIMIT_CONTROL`, `Throttling*`), 5xx, timeouts and broken
 * connections become a `ServiceUnavailable` error (`isDependencyFailure`, retried by the notifier);
 * a refusal no retry mends (unknown number, bad signature/template/parameters, account not
 * allowed) becomes `SmsRejected`, marked `permanent` (dead-lettered at once). Error messages carry
 * the provider's code only: never the number, the parameters or the provider's free text.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SmsContent, SmsSender } from '#core/ports';
import { optionalEnv } from '#shared/env';
import { sdkHttpTimeouts } from '../dependency-failure.ts';

export interface AliyunSmsSettings {
  /** e.g. https://dysmsapi.aliyuncs.com (locally the fake's URL) */
  endpoint: string;
  /** RegionId, e.g. cn-hangzhou */
  region: string;
  signName: string;
  templates: { status: string; code: string };
  /** Secrets Manager secret with `{ accessKeyId, accessKeySecret }`; none: local env variables */
  secretArn?: string | undefined;
  timeoutMs: number;
}

/** ALIYUN_SMS_ENDPOINT, _REGION, _SIGN_NAME, _STATUS_TEMPLATE, _CODE_TEMPLATE, _SECRET_ARN, _TIMEOUT_MS. */
export function aliyunSmsSettingsFromEnv(): AliyunSmsSettings {
  const need = (name: string) => {
    const v = optionalEnv(name);
    if (!v) throw new Error(`${name} is required for SMS_TRANSPORT=aliyun`);
    return v;
  };
  return {
    endpoint: optionalEnv('ALIYUN_SMS_ENDPOINT', 'https://dysmsapi.aliyuncs.com'),
    region: optionalEnv('ALIYUN_SMS_REGION', 'cn-hangzhou'),
    signName: need('ALIYUN_SMS_SIGN_NAME'),
    templates: { status: need('ALIYUN_SMS_STATUS_TEMPLATE'), code: need('ALIYUN_SMS_CODE_TEMPLATE') },
    secretArn: optionalEnv('ALIYUN_SMS_SECRET_ARN'),
    timeoutMs: Number(optionalEnv('ALIYUN_SMS_TIMEOUT_MS', '5000')),
  };
}

export interface AccessKey {
  accessKeyId: string;
  accessKeySecret: string;
}

export type AccessKeySource = (secretArn: string | undefined) => Promise<AccessKey>;

export const secretsManagerAccessKey: AccessKeySource = async (secretArn) => {
  if (!secretArn) {
    // local runs only: the fake's key pair from the environment
    const accessKeyId = optionalEnv('ALIYUN_SMS_ACCESS_KEY_ID');
    const accessKeySecret = optionalEnv('ALIYUN_SMS_ACCESS_KEY_SECRET');
    if (!accessKeyId || !accessKeySecret)
      throw new Error('SMS_TRANSPORT=aliyun needs ALIYUN_SMS_SECRET_ARN (or, locally, an access key)');
    return { accessKeyId, accessKeySecret };
  }
  const client = new SecretsManagerClient({
    region: optionalEnv('AWS_REGION', 'cn-northwest-1'),
    requestHandler: sdkHttpTimeouts(),
  });
  const res = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.SecretString ?? '');
  } catch {
    parsed = undefined;
  }
  const { accessKeyId, accessKeySecret } = (parsed ?? {}) as Partial<AccessKey>;
  if (typeof accessKeyId !== 'string' || typeof accessKeySecret !== 'string' || accessKeyId === '') {
    throw new Error('Aliyun SMS secret must be JSON with string fields "accessKeyId" and "accessKeySecret"');
  }
  return { accessKeyId, accessKeySecret };
};

/** The provider's percent-encoding (RFC 3986: only A-Z a-z 0-9 - _ . ~ stay as they are). */
export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** SignatureVersion 1.0: base64(HMAC-SHA1(secret + "&", METHOD&%2F&encode(sorted query))). */
export function rpcSignature(
  method: string,
  params: Record<string, string>,
  accessKeySecret: string,
): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k] as string)}`)
    .join('&');
  const stringToSign = `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign).digest('base64');
}

/** Aliyun allows at most 35 characters in a template variable. */
const variable = (s: string) => [...s].slice(0, 35).join('');

/** The template and its variables for one message. */
export function templateFor(
  templates: AliyunSmsSettings['templates'],
  content: SmsContent,
): { templateCode: string; params: Record<string, string> } {
  if (content.kind === 'code') return { templateCode: templates.code, params: { code: content.code } };
  return {
    templateCode: templates.status,
    params: {
      service: variable(content.service),
      number: variable(content.applicationNumber),
      status: variable(content.status),
    },
  };
}

/** Provider codes worth another attempt later (flow control, the provider's own faults). */
const RETRYABLE_CODES = new Set([
  'isv.BUSINESS_LIMIT_CONTROL',
  'isv.DAY_LIMIT_CONTROL',
  'isv.OUT_OF_SERVICE',
  'isv.AMOUNT_NOT_ENOUGH',
  'isp.SYSTEM_ERROR',
  'SignatureNonceUsed',
  'ServiceUnavailable',
  'InternalError',
]);

/** A failure a later attempt may overcome: `isDependencyFailure` is true for it. */
export class AliyunSmsUnavailableError extends Error {
  override readonly name = 'ServiceUnavailable';
  readonly $retryable: { throttling: boolean };
  readonly transport = 'aliyun';
  constructor(message: string, throttling = false, options?: ErrorOptions) {
    super(message, options);
    this.$retryable = { throttling };
  }
}

/** The provider refused this message for good: no retry, dead-lettered at once. */
export class AliyunSmsRejectedError extends Error {
  override readonly name = 'SmsRejected';
  readonly permanent = true;
  readonly transport = 'aliyun';
}

/** Maps an answer's HTTP status and `Code` to the adapter's two error classes. */
export function classifyAliyunFailure(status: number, code: string | undefined): Error {
  const what = `Aliyun SMS ${status} ${code ?? 'no code'}`;
  const throttling = code === 'isv.BUSINESS_LIMIT_CONTROL' || /^Throttling/.test(code ?? '');
  if (status >= 500 || status === 429 || throttling || (code !== undefined && RETRYABLE_CODES.has(code)))
    return new AliyunSmsUnavailableError(what, throttling || status === 429);
  return new AliyunSmsRejectedError(what);
}

export class AliyunSms implements SmsSender {
  private key: Promise<AccessKey> | undefined;

  constructor(
    private readonly settings: AliyunSmsSettings,
    private readonly readKey: AccessKeySource = secretsManagerAccessKey,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private accessKey(): Promise<AccessKey> {
    if (!this.key) {
      this.key = this.readKey(this.settings.secretArn).catch((err: unknown) => {
        this.key = undefined; // the next send reads again
        throw err;
      });
    }
    return this.key;
  }

  async send(to: string, _text: string, content?: SmsContent) {
    // a template-only provider cannot send free text: a caller without content is a bug
    if (!content) throw new Error('Aliyun SMS sends registered templates only: content is required');
    const { accessKeyId, accessKeySecret } = await this.accessKey();
    const { templateCode, params } = templateFor(this.settings.templates, content);
    const query: Record<string, string> = {
      AccessKeyId: accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      PhoneNumbers: to.replace(/^\+86/, ''),
      RegionId: this.settings.region,
      SignName: this.settings.signName,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      TemplateCode: templateCode,
      TemplateParam: JSON.stringify(params),
      Timestamp: this.now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
    };
    const body = new URLSearchParams({ ...query, Signature: rpcSignature('POST', query, accessKeySecret) });
    let res: Response;
    try {
      res = await fetch(new URL('/', this.settings.endpoint), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: body.toString(),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (err) {
      const code = (err as { cause?: { code?: unknown } }).cause?.code;
      throw new AliyunSmsUnavailableError(
        `Aliyun SMS unreachable (${typeof code === 'string' ? code : (err as Error).name})`,
        false,
      );
    }
    const answer = (await res.json().catch(() => ({}))) as { Code?: unknown; BizId?: unknown };
    const code = typeof answer.Code === 'string' ? answer.Code : undefined;
    if (res.ok && code === 'OK') return { messageId: typeof answer.BizId === 'string' ? answer.BizId : '' };
    throw classifyAliyunFailure(res.status, code);
  }
}
