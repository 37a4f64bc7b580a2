/**
 * The SMTP adapter against a real SMTP server started here (smtp-server, the server half of
 * nodemailer's project): what arrives, how replies and outages are classified, the relay's
 * credentials read once; then the notifier end to end with MAIL_TRANSPORT=smtp, exactly once
 * across a redelivered batch, a deferral and a consumer that died after claiming.
 */
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { ulid } from 'ulid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { localFieldCipher } from '#adapters/crypto/field-cipher';
import { isDependencyFailure } from '#adapters/dependency-failure';
import { DynamoApplicationRepository } from '#adapters/dynamodb/application-repository';
import { DeliveryStore } from '#adapters/dynamodb/delivery-store';
import { SmtpMailer, type SmtpSettings } from '#adapters/smtp/mailer';
import { ApplicationService } from '#core/application-service';
import { WorkingCalendar } from '#core/calendar';
import { birthDeciders, parentA } from '../support/actors.ts';
import { freshTable } from '../support/dynamo.ts';
import { birthForm } from '../support/forms.ts';
import { streamBatch as batchOf } from '../support/stream-batch.ts';

interface Received {
  from: string;
  to: string[];
  subject: string;
  text: string;
  messageId: string;
  contentType: string;
  raw: string;
  user?: string | undefined;
}

/** What the next RCPT TO should answer: accept, or refuse with this reply. */
type Reply = { code: number; message: string } | undefined;

interface LocalSmtp {
  port: number;
  inbox: Received[];
  /** replies for the coming RCPT TO commands, in order; then every recipient is accepted */
  replies: Reply[];
  stop(): Promise<void>;
}

async function startSmtp(credentials?: { username: string; password: string }): Promise<LocalSmtp> {
  const inbox: Received[] = [];
  const replies: Reply[] = [];
  const server = new SMTPServer({
    disabledCommands: credentials ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !credentials,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials?.username && auth.password === credentials?.password)
        callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(_address: SMTPServerAddress, _session, callback) {
      const reply = replies.shift();
      if (reply) callback(Object.assign(new Error(reply.message), { responseCode: reply.code }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const parsed = await simpleParser(raw);
        inbox.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          messageId: parsed.messageId ?? '',
          contentType: raw.match(/^Content-Type: .*$/im)?.[0] ?? '',
          raw,
          user: typeof session.user === 'string' ? session.user : undefined,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    inbox,
    replies,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const settings = (port: number, extra: Partial<SmtpSettings> = {}): SmtpSettings => ({
  host: '127.0.0.1',
  port,
  tls: 'off',
  timeoutMs: 5_000,
  ...extra,
});

const FROM = 'noreply@mail.yueqing.example.cn';

describe('SmtpMailer against a local SMTP server', () => {
  let smtp: LocalSmtp;
  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(async () => {
    await smtp.stop();
  });
  afterEach(() => {
    smtp.inbox.length = 0;
    smtp.replies.length = 0;
  });

  it('delivers subject, sender, recipient and a UTF-8 zh-CN body intact', async () => {
    const mailer = new SmtpMailer(settings(smtp.port), FROM);
    const text = '您的申请「王小明 · 出生一件事」已受理。\n办理进度：https://onestop.example.cn/a/1\n😀 end';

    const { messageId } = await mailer.send('wang.li@example.com', '【乐清 Onestop】已受理', text);

    expect(smtp.inbox).toHaveLength(1);
    const [mail] = smtp.inbox;
    expect(mail).toMatchObject({
      from: FROM,
      to: ['wang.li@example.com'],
      subject: '【乐清 Onestop】已受理',
      text,
      messageId,
    });
    expect(messageId).toMatch(/^<.+@.+>$/);
    expect(mail?.contentType).toMatch(/charset=utf-8/i);
  });

  it('reports a 4xx reply as a dependency failure (retryable), without the relay’s text', async () => {
    smtp.replies.push({ code: 451, message: '4.7.1 <wang.li@example.com> greylisted, try again later' });
    const mailer = new SmtpMailer(settings(smtp.port), FROM);

    const err = await mailer.send('wang.li@example.com', '主题', '正文').catch((e: unknown) => e);

    expect(isDependencyFailure(err)).toBe(true);
    expect((err as Error).message).toMatch(/^SMTP 451 4\.7\.1 during RCPT: deferred/);
    expect((err as Error).message).not.toContain('wang.li');
    expect(smtp.inbox).toEqual([]);
  });

  it('reports a 5xx reject as permanent (not a dependency failure), as SES does MessageRejected', async () => {
    smtp.replies.push({ code: 550, message: '5.1.1 <nobody@example.com>: no such user' });
    const mailer = new SmtpMailer(settings(smtp.port), FROM);

    const err = await mailer.send('nobody@example.com', '主题', '正文').catch((e: unknown) => e);

    expect(isDependencyFailure(err)).toBe(false);
    expect((err as Error).name).toBe('MessageRejected');
    expect((err as Error).message).toMatch(/^SMTP 550 5\.1\.1 during RCPT: rejected/);
    expect((err as Error).message).not.toContain('nobody@');
  });

  it('reports a relay that is down (connection refused) as a dependency failure', async () => {
    const gone = await startSmtp();
    const port = gone.port;
    await gone.stop();
    const mailer = new SmtpMailer(settings(port), FROM);

    const err = await mailer.send('wang.li@example.com', '主题', '正文').catch((e: unknown) => e);

    expect(isDependencyFailure(err)).toBe(true);
    expect((err as Error).message).toMatch(/unreachable .*ECONNREFUSED/);
  });
});

describe('SmtpMailer with the relay credentials in Secrets Manager', () => {
  let smtp: LocalSmtp;
  let secrets: ReturnType<typeof mockClient>;
  beforeAll(async () => {
    smtp = await startSmtp({ username: 'onestop', password: 's3cret-relay' });
  });
  afterAll(async () => {
    await smtp.stop();
  });
  afterEach(() => secrets?.restore());

  it('reads the secret once and signs in with it for every message', async () => {
    // No Secrets Manager emulator runs locally: the SDK call is the only mocked part.
    secrets = mockClient(SecretsManagerClient);
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ username: 'onestop', password: 's3cret-relay' }) });
    const arn = 'arn:aws-cn:secretsmanager:cn-northwest-1:123456789012:secret:onestop-cn-smtp-AbCdEf';
    const mailer = new SmtpMailer(settings(smtp.port, { secretArn: arn }), FROM);

    await mailer.send('a@example.com', '一', '第一封');
    await mailer.send('b@example.com', '二', '第二封');

    expect(smtp.inbox.map((m) => [m.to[0], m.user])).toEqual([
      ['a@example.com', 'onestop'],
      ['b@example.com', 'onestop'],
    ]);
    expect(secrets.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: arn },
    ]);
  });

  it('reads the secret again on the next send after a failed read (an outage is not cached)', async () => {
    secrets = mockClient(SecretsManagerClient);
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('unavailable'), { name: 'InternalServiceError', $retryable: {} }))
      .resolves({ SecretString: JSON.stringify({ username: 'onestop', password: 's3cret-relay' }) });
    const mailer = new SmtpMailer(settings(smtp.port, { secretArn: 'arn:aws-cn:secretsmanager:x' }), FROM);

    const first = await mailer.send('c@example.com', '三', '第三封').catch((e: unknown) => e);
    await mailer.send('c@example.com', '三', '第三封');

    expect(isDependencyFailure(first)).toBe(true);
    expect(smtp.inbox.filter((m) => m.to[0] === 'c@example.com')).toHaveLength(1);
  });
});

describe('the notifier with MAIL_TRANSPORT=smtp', () => {
  let smtp: LocalSmtp;
  let table: Awaited<ReturnType<typeof freshTable>>;
  let service: ApplicationService;
  let repo: DynamoApplicationRepository;
  let handler: (e: DynamoDBStreamEvent) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>;
  let sweeper: () => Promise<unknown>;

  beforeAll(async () => {
    smtp = await startSmtp();
    table = await freshTable('smtp-notify');
    const keyFile = join(mkdtempSync(join(tmpdir(), 'keys-')), 'k.json');
    repo = new DynamoApplicationRepository(table.doc, table.tableName, localFieldCipher(keyFile));
    service = new ApplicationService(repo, {
      clock: { now: () => new Date() },
      ids: { newId: ulid },
      calendar: new WorkingCalendar(),
    });
    Object.assign(process.env, {
      TABLE_NAME: table.tableName,
      DYNAMODB_ENDPOINT: table.endpoint,
      DATA_KEY_FILE: keyFile,
      MAIL_FROM: FROM,
      MAIL_TRANSPORT: 'smtp',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      SMTP_TLS: 'off',
    });
    // no SES anywhere: a send through SES would fail for want of an endpoint and credentials
    delete process.env.SES_ENDPOINT;
    handler = (await import('../../functions/streams/notifier.ts')).handler as never;
    sweeper = (await import('../../functions/scheduled/sweeper.ts')).handler;
  });
  afterAll(async () => {
    await smtp.stop();
    await table.drop();
  });

  const streamBatch = (appId: string) => batchOf(table, appId);

  const mailsTo = (appId: string) => smtp.inbox.filter((m) => m.text.includes(appId));

  it("mails each of a birth application's events exactly once, across a redelivered batch and a deferral", async () => {
    const { view } = await service.submit(parentA, { service: 'birth-registration', form: birthForm() });
    const d = birthDeciders['birth-certificate']!;
    await service.decide(d.actor, view.id, 'birth-certificate', { decision: 'approve', outputs: d.outputs });
    const batch = await streamBatch(view.id);
    // the relay defers the first message (greylisting): that record alone is retried
    smtp.replies.push({ code: 451, message: '4.7.1 try again later' });

    const first = await handler(structuredClone(batch));
    const again = await handler(structuredClone(batch));
    const third = await handler(structuredClone(batch));

    expect(first.batchItemFailures).toHaveLength(1);
    expect(again.batchItemFailures).toEqual([]);
    expect(third.batchItemFailures).toEqual([]);
    const mails = mailsTo(view.id);
    expect(mails).toHaveLength(2); // submitted + birth certificate issued
    expect(mails.map((m) => m.to)).toEqual([['wang.li@example.com'], ['wang.li@example.com']]);
    expect(mails.map((m) => m.subject).join()).toMatch(/已受理/);
    for (const m of mails) expect(m.text).not.toMatch(/\d{17}[\dX]/);
    const deliveries = await new DeliveryStore(table.doc, table.tableName).list(view.id);
    expect(deliveries.map((x) => x.status)).toEqual(['sent', 'sent']);
    expect(new Set(deliveries.map((x) => x.messageId))).toEqual(new Set(mails.map((m) => m.messageId)));
  });

  it('sends the e-mail of a consumer that died after claiming exactly once, through the sweeper', async () => {
    const { view } = await service.submit(parentA, { service: 'birth-registration', form: birthForm() });
    const submitted = (await repo.listEvents(view.id)).find((e) => e.type === 'submitted')!;
    const deliveries = new DeliveryStore(table.doc, table.tableName);
    // the dead consumer's claim (a 60 s lease); the stream redelivers within the lease
    expect(await deliveries.claim(view.id, submitted.eventId, submitted.type, new Date())).toMatchObject({
      ok: true,
    });
    const redelivered = await handler(await streamBatch(view.id));
    expect(redelivered.batchItemFailures).toEqual([]);
    expect(mailsTo(view.id)).toEqual([]);

    process.env.CLOCK_OFFSET_MS = '61000';
    try {
      await sweeper();
      await sweeper();
    } finally {
      delete process.env.CLOCK_OFFSET_MS;
    }
    await handler(await streamBatch(view.id));

    const mails = mailsTo(view.id);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toMatch(/已受理/);
    const record = (await deliveries.list(view.id)).find((x) => x.eventId === submitted.eventId);
    expect(record).toMatchObject({ status: 'sent', attempts: 2 });
  });
});
