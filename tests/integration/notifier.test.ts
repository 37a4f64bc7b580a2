import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { ulid } from 'ulid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { localFieldCipher } from '#adapters/crypto/field-cipher';
import { DynamoApplicationRepository } from '#adapters/dynamodb/application-repository';
import { DeliveryStore } from '#adapters/dynamodb/delivery-store';
import { SesMailer } from '#adapters/ses/mailer';
import { ApplicationService } from '#core/application-service';
import { WorkingCalendar } from '#core/calendar';
import { MAX_ATTEMPTS, Notifier } from '#core/notifications/notifier';
import { listSentMail, startSesLocal } from '../../local/ses-local.ts';
import { StreamPoller } from '../../local/stream-poller.ts';
import { birthDeciders, parentA } from '../support/actors.ts';
import { freshTable } from '../support/dynamo.ts';
import { birthForm } from '../support/forms.ts';
import { streamBatch as batchOf } from '../support/stream-batch.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let ses: Awaited<ReturnType<typeof startSesLocal>>;
let service: ApplicationService;
let repo: DynamoApplicationRepository;
let handler: (e: DynamoDBStreamEvent) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>;

beforeAll(async () => {
  table = await freshTable('notify');
  ses = await startSesLocal({});
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
    SES_ENDPOINT: ses.endpoint,
    DATA_KEY_FILE: keyFile,
    MAIL_FROM: 'noreply@onestop.local',
  });
  handler = (await import('../../functions/streams/notifier.ts')).handler as never;
});
afterAll(async () => {
  await ses.stop();
  await table.drop();
});

const streamBatch = (appId: string) => batchOf(table, appId);

const mailsTo = async (appId: string) =>
  (await listSentMail(ses.endpoint)).filter((m) => (m.text ?? '').includes(appId));

describe('notifier stream consumer', () => {
  it('e-mails the parent once per notified event, even when the batch is redelivered', async () => {
    const { view } = await service.submit(parentA, { service: 'birth-registration', form: birthForm() });
    const d = birthDeciders['birth-certificate']!;
    await service.decide(d.actor, view.id, 'birth-certificate', { decision: 'approve', outputs: d.outputs });
    const batch = await streamBatch(view.id);

    const first = await handler(structuredClone(batch));
    const again = await handler(structuredClone(batch));

    expect(first.batchItemFailures).toEqual([]);
    expect(again.batchItemFailures).toEqual([]);
    const mails = await mailsTo(view.id);
    expect(mails).toHaveLength(2); // submitted + birth certificate issued
    expect(mails[0]?.to).toContain('wang.li@example.com');
    expect(mails.map((m) => m.subject).join()).toMatch(/已受理/);
    for (const m of mails) expect(m.text).not.toMatch(/\d{17}[\dX]/);
    const deliveries = await new DeliveryStore(table.doc, table.tableName).list(view.id);
    expect(deliveries.map((x) => x.status)).toEqual(['sent', 'sent']);
  });

  describe('when SES fails', () => {
    let sesMock: ReturnType<typeof mockClient> | undefined;
    afterEach(() => sesMock?.restore());

    it('retries, then dead-letters the e-mail without touching the application', async () => {
      // Created inside the test: mockClient patches every SESClient in this file while active.
      sesMock = mockClient(SESClient);
      sesMock.on(SendEmailCommand).rejects(Object.assign(new Error('Throttling'), { name: 'Throttling' }));
      const { view } = await service.submit(parentA, { service: 'birth-registration', form: birthForm() });
      const before = await repo.get(view.id);
      const deliveries = new DeliveryStore(table.doc, table.tableName);
      const notifier = new Notifier({
        repo,
        deliveries,
        mailer: new SesMailer({ region: 'ap-east-1' }, 'noreply@onestop.local'),
        clock: { now: () => new Date() },
        consoleUrl: 'http://127.0.0.1:3000',
      });
      const submitted = (await repo.listEvents(view.id)).find((e) => e.type === 'submitted')!;
      const outcomes = [];
      for (let i = 0; i < MAX_ATTEMPTS; i++) outcomes.push(await notifier.handle(submitted));
      expect(outcomes).toEqual(['retry', 'retry', 'dead-lettered']);
      expect(await notifier.handle(submitted)).toBe('duplicate');
      const record = (await deliveries.list(view.id)).find((x) => x.eventId === submitted.eventId);
      expect(record).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
      expect((await deliveries.listDeadLetters('notifier')).map((x) => x.eventId)).toContain(
        submitted.eventId,
      );
      expect(await repo.get(view.id)).toEqual(before);
    });
  });
});

describe('a name stored before the text policy that poisons an e-mail', () => {
  it("neither loses that family's e-mail nor the next family's", async () => {
    // Arrange: family A's label holds an unpaired surrogate (accepted before the policy, which
    // now refuses it at the API); family B is ordinary.
    const a = (await service.submit(parentA, { service: 'birth-registration', form: birthForm() })).view;
    await table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { pk: `APP#${a.id}`, sk: 'A' },
        UpdateExpression: 'SET label = :label',
        ExpressionAttributeValues: { ':label': '王\uD800小明 · 出生一件事' },
      }),
    );
    const b = (await service.submit(parentA, { service: 'birth-registration', form: birthForm() })).view;
    const batchA = await streamBatch(a.id);
    const batchB = await streamBatch(b.id);

    // Act: one stream batch with A's event first, then B's
    const res = await handler({ Records: [...batchA.Records, ...batchB.Records] });

    // Assert
    expect(res.batchItemFailures).toEqual([]);
    const [mailB] = await mailsTo(b.id);
    expect(mailB?.subject).toMatch(/已受理/);
    expect(mailB?.text).toContain(`（编号 ${b.id}）`);
    const [mailA] = await mailsTo(a.id);
    expect(mailA?.text).toContain('王\uFFFD小明');
  });
});

describe('a consumer that dies after claiming an e-mail', () => {
  it('leaves it to the sweeper, which sends it once the lease has run out, when the stream redelivers it within the lease', async () => {
    // Arrange: the dead consumer claimed the submitted e-mail (status sending, 60 s lease) and
    // never sent it; the real stream then redelivers the event while the lease still runs.
    const { view } = await service.submit(parentA, { service: 'birth-registration', form: birthForm() });
    const submitted = (await repo.listEvents(view.id)).find((e) => e.type === 'submitted')!;
    const deliveries = new DeliveryStore(table.doc, table.tableName);
    expect(await deliveries.claim(view.id, submitted.eventId, submitted.type, new Date())).toMatchObject({
      ok: true,
    });
    const dir = mkdtempSync(join(tmpdir(), 'notifier-poller-'));
    let redelivered = false;
    const poller = new StreamPoller({
      name: 'notifier',
      endpoint: table.endpoint,
      tableName: table.tableName,
      handler: async (e) => {
        if (e.Records.some((r) => r.dynamodb?.NewImage?.pk?.S === `APP#${view.id}`)) redelivered = true;
        return handler(e);
      },
      checkpointFile: join(dir, 'checkpoint.json'),
      deadLetterFile: join(dir, 'dead.jsonl'),
    });
    const until = Date.now() + 30_000;
    while (!redelivered && Date.now() < until) await poller.pollOnce();
    expect(redelivered).toBe(true);
    expect(await mailsTo(view.id)).toEqual([]);

    // Act: the sweeper runs after the lease has run out
    const sweeper = (await import('../../functions/scheduled/sweeper.ts')).handler;
    process.env.CLOCK_OFFSET_MS = '61000';
    try {
      await sweeper();
      await sweeper();
    } finally {
      delete process.env.CLOCK_OFFSET_MS;
    }
    await poller.pollOnce();

    // Assert: sent exactly once
    const mails = await mailsTo(view.id);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toMatch(/已受理/);
    const record = (await deliveries.list(view.id)).find((d) => d.eventId === submitted.eventId);
    expect(record).toMatchObject({ status: 'sent', attempts: 2 });
  });
});
