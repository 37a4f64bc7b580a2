/** Sends plain-text e-mail through SES (v1 SendEmail), locally through aws-ses-v2-local. */
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { Mailer } from '#core/ports';
import { optionalEnv } from '#shared/env';
import { sdkHttpTimeouts } from '../dependency-failure.ts';

export function makeSesClient(endpoint = optionalEnv('SES_ENDPOINT')): SESClient {
  return new SESClient({
    region: optionalEnv('AWS_REGION', 'ap-east-1'),
    requestHandler: sdkHttpTimeouts(),
    ...(endpoint
      ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 2 }
      : {}),
  });
}

export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESClient,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async send(to: string, subject: string, text: string) {
    const res = await this.ses.send(
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
