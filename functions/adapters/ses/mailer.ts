/**
 * Sends plain-text e-mail through SES (v1 SendEmail), locally through aws-ses-v2-local.
 *
 * Each send builds its own SESClient (sharing one HTTP handler, so connections are still reused):
 * the SDK's query-protocol serialiser is per client and keeps its buffer when serialising throws
 * (e.g. on an unpaired surrogate), so with one shared client a single bad message left its
 * half-written body in front of the NEXT message's — another family's e-mail went out with a wrong
 * Content-Length and was lost. A failed send now cannot affect any other.
 */
import { SESClient, type SESClientConfig, SendEmailCommand } from '@aws-sdk/client-ses';
import type { Mailer } from '#core/ports';
import { optionalEnv } from '#shared/env';
import { sdkHttpTimeouts } from '../dependency-failure.ts';

export function sesClientConfig(endpoint = optionalEnv('SES_ENDPOINT')): SESClientConfig {
  return {
    region: optionalEnv('AWS_REGION', 'ap-east-1'),
    requestHandler: sdkHttpTimeouts(),
    ...(endpoint
      ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 2 }
      : {}),
  };
}

export class SesMailer implements Mailer {
  private readonly requestHandler: NonNullable<SESClientConfig['requestHandler']>;

  constructor(
    private readonly config: SESClientConfig,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {
    this.requestHandler = new SESClient(config).config.requestHandler;
  }

  async send(to: string, subject: string, text: string) {
    const ses = new SESClient({ ...this.config, requestHandler: this.requestHandler });
    const res = await ses.send(
      new SendEmailCommand({
        Source: this.from,
        Destination: { ToAddresses: [to] },
        Message: {
          Subject: { Data: subject, Charset: 'UTF-8' },
          Body: { Text: { Data: text, Charset: 'UTF-8' } },
        },
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
      }),
    );
    return { messageId: res.MessageId ?? '' };
  }
}
