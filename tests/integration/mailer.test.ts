/**
 * The SES adapter against the real local SES (aws-ses-v2-local): a message the SDK cannot
 * serialise fails alone; the next family's e-mail arrives exactly as sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesMailer, sesClientConfig } from '#adapters/ses/mailer';
import { listSentMail, type SesLocal, startSesLocal } from '../../local/ses-local.ts';

let ses: SesLocal;
beforeAll(async () => {
  ses = await startSesLocal({});
});
afterAll(async () => {
  await ses.stop();
});

describe('SesMailer', () => {
  it("sends the next family's e-mail intact after a send that failed while serialising", async () => {
    const mailer = new SesMailer(sesClientConfig(ses.endpoint), 'noreply@onestop.local');

    await expect(mailer.send('first@example.com', '第一封', '孩子姓名：王\uD800小明')).rejects.toThrow();
    const second = await mailer.send(
      'second@example.com',
      '【乐清 Onestop】已受理',
      '您的申请「李小红」已受理。',
    );

    const mails = await listSentMail(ses.endpoint);
    expect(mails.map((m) => m.to)).toEqual([['second@example.com']]);
    expect(mails[0]).toMatchObject({
      messageId: second.messageId,
      subject: '【乐清 Onestop】已受理',
      text: '您的申请「李小红」已受理。',
    });
  });
});
