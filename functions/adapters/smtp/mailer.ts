/**
 * Sends plain-text e-mail through an SMTP relay (nodemailer): the government mail relay in the
 * China stage, where SES does not exist; locally any SMTP server (SMTP_HOST/SMTP_PORT).
 *
 * In AWS the relay's credentials sit in Secrets Manager (SMTP_SECRET_ARN, a JSON
 * `{ "username": …, "password": … }`), read once per cold start; a failed read is retried on the
 * next send. One connection per message (no pool): a Lambda environment may freeze between
 * batches, and a pooled socket would be found dead after the thaw.
 *
 * nodemailer is loaded on the first send, never at module load: it is too big for the 260 KB
 * bundle budget (about 236 KB minified on its own), so the bundles keep it external
 * (lib/constructs/bundling.ts) and only the stages that mail over SMTP ship it beside the bundle
 * (lib/constructs/onestop-function.ts); a function of an SES stage never loads it.
 *
 * Failures are classified as SES's are (functions/adapters/dependency-failure.ts): a transient
 * one (4xx reply, 503, connection refused or reset, DNS, timeouts) becomes a `ServiceUnavailable`
 * error that `isDependencyFailure` recognizes; a permanent rejection (5xx) becomes a
 * `MessageRejected` error, the name SES gives its own permanent refusals, which it does not.
 * Error messages carry the reply code and the enhanced status only: never the message body,
 * and not the server's free text (relays echo the recipient's address in it).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Mailer } from '#core/ports';
import { optionalEnv } from '#shared/env';
import { sdkHttpTimeouts } from '../dependency-failure.ts';

export type SmtpTls = 'implicit' | 'starttls' | 'off';

export interface SmtpSettings {
  host: string;
  port: number;
  /** implicit: TLS from the first byte (465); starttls: upgrade required (587); off: local only */
  tls: SmtpTls;
  /** Secrets Manager secret holding `{ username, password }`; none: no authentication */
  secretArn?: string | undefined;
  /** connect, greeting and idle-socket timeouts (ms) */
  timeoutMs: number;
}

/** SMTP_HOST, SMTP_PORT, SMTP_TLS, SMTP_SECRET_ARN, SMTP_TIMEOUT_MS (functions/shared/env.ts). */
export function smtpSettingsFromEnv(): SmtpSettings {
  const tls = optionalEnv('SMTP_TLS', 'starttls');
  if (tls !== 'implicit' && tls !== 'starttls' && tls !== 'off') {
    throw new Error(`SMTP_TLS must be implicit, starttls or off (got "${tls}")`);
  }
  return {
    host: optionalEnv('SMTP_HOST', '127.0.0.1'),
    port: Number(optionalEnv('SMTP_PORT', tls === 'implicit' ? '465' : '587')),
    tls,
    secretArn: optionalEnv('SMTP_SECRET_ARN'),
    timeoutMs: Number(optionalEnv('SMTP_TIMEOUT_MS', '10000')),
  };
}

interface Credentials {
  username: string;
  password: string;
}

/** Reads the relay's credentials; the client resolves the endpoint of the Lambda's partition. */
export type CredentialsSource = (secretArn: string) => Promise<Credentials>;

export const secretsManagerCredentials: CredentialsSource = async (secretArn) => {
  const client = new SecretsManagerClient({
    region: optionalEnv('AWS_REGION', 'ap-east-1'),
    requestHandler: sdkHttpTimeouts(),
  });
  const res = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.SecretString ?? '');
  } catch {
    parsed = undefined;
  }
  const { username, password } = (parsed ?? {}) as Partial<Credentials>;
  if (typeof username !== 'string' || typeof password !== 'string' || username === '') {
    // a configuration fault, not an outage: nothing a retry could mend
    throw new Error('SMTP secret must be JSON with string fields "username" and "password"');
  }
  return { username, password };
};

interface NodemailerLikeError {
  code?: unknown;
  originalCode?: unknown;
  responseCode?: unknown;
  response?: unknown;
  command?: unknown;
  permanent?: unknown;
}

/** Connection-level failures worth another attempt (nodemailer's codes and the system's). */
const TRANSIENT_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EPROTOCOL',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/** A failure a later attempt may overcome: `isDependencyFailure` is true for it. */
export class SmtpUnavailableError extends Error {
  override readonly name = 'ServiceUnavailable';
  readonly $retryable = { throttling: false };
  readonly transport = 'smtp';
}

/** The relay refused the message for good: `isDependencyFailure` is false, as for SES's MessageRejected. */
export class SmtpRejectedError extends Error {
  override readonly name = 'MessageRejected';
  readonly transport = 'smtp';
}

/** `550 5.1.1` from a reply such as `550 5.1.1 <someone@…>: no such user`; the rest is dropped. */
function replyCodes(response: unknown): string {
  if (typeof response !== 'string') return '';
  const m = /^(\d{3})(?:[ -](\d\.\d{1,3}\.\d{1,3}))?/.exec(response.trim());
  return m ? [m[1], m[2]].filter(Boolean).join(' ') : '';
}

/** Maps a nodemailer failure to the adapter's two classes; other errors (bugs) pass unchanged. */
export function classifySmtpFailure(err: unknown): Error {
  const e = (err ?? {}) as NodemailerLikeError;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const original = typeof e.originalCode === 'string' ? e.originalCode : undefined;
  const command = typeof e.command === 'string' ? ` during ${e.command.split(' ')[0]}` : '';
  if (typeof e.responseCode === 'number') {
    const what = `SMTP ${replyCodes(e.response) || e.responseCode}${command}`;
    // nodemailer marks 5xx except 503 permanent (RFC 5321); 4xx and 503 may pass later
    const permanent = typeof e.permanent === 'boolean' ? e.permanent : e.responseCode >= 500;
    return permanent
      ? new SmtpRejectedError(`${what}: rejected by the relay`, { cause: err })
      : new SmtpUnavailableError(`${what}: deferred by the relay`, { cause: err });
  }
  if ((code && TRANSIENT_CODES.has(code)) || (original && TRANSIENT_CODES.has(original))) {
    return new SmtpUnavailableError(
      `SMTP relay unreachable (${[code, original].filter(Boolean).join('/')})`,
      {
        cause: err,
      },
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}

type Nodemailer = typeof import('nodemailer');
let nodemailer: Promise<Nodemailer> | undefined;
/** The one dynamic import: the bundler leaves an external's `import()` as it is. */
function loadNodemailer(): Promise<Nodemailer> {
  nodemailer ??= import('nodemailer');
  return nodemailer;
}

export class SmtpMailer implements Mailer {
  private credentials: Promise<Credentials | undefined> | undefined;

  constructor(
    private readonly settings: SmtpSettings,
    private readonly from: string,
    private readonly readCredentials: CredentialsSource = secretsManagerCredentials,
  ) {}

  private auth(): Promise<Credentials | undefined> {
    const { secretArn } = this.settings;
    if (!secretArn) return Promise.resolve(undefined);
    if (!this.credentials) {
      this.credentials = this.readCredentials(secretArn).catch((err: unknown) => {
        this.credentials = undefined; // the next send reads again
        throw err;
      });
    }
    return this.credentials;
  }

  async send(to: string, subject: string, text: string) {
    const [auth, { createTransport }] = await Promise.all([this.auth(), loadNodemailer()]);
    const { host, port, tls, timeoutMs } = this.settings;
    const transport = createTransport({
      host,
      port,
      secure: tls === 'implicit',
      requireTLS: tls === 'starttls',
      ignoreTLS: tls === 'off',
      ...(auth ? { auth: { user: auth.username, pass: auth.password } } : {}),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      // never log envelopes or message data
      logger: false,
      debug: false,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    try {
      const info = await transport.sendMail({
        from: this.from,
        to,
        subject,
        text,
        textEncoding: 'base64',
      });
      return { messageId: info.messageId ?? '' };
    } catch (err) {
      throw classifySmtpFailure(err);
    } finally {
      transport.close();
    }
  }
}
