/**
 * The notifier's SMS path on DynamoDB Local with the real local SMS sink (and the local SES for
 * both channels): channel choice, exactly once per event and channel (also when two consumers
 * race), no recipient, retries into the dead letter, resume by the sweeper's path after a
 * crashed claim, the day cap, the phone encrypted on the case and never in delivery records.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFieldCipher } from '#adapters/crypto/field-cipher';
import { DynamoApplicationRepository } from '#adapters/dynamodb/application-repository';
import { DeliveryStore } from '#adapters/dynamodb/delivery-store';
import { SesMailer, sesClientConfig } from '#adapters/ses/mailer';
import { SinkSms } from '#adapters/sms/sink';
import { ApplicationService } from '#core/application-service';
import { WorkingCalendar } from '#core/calendar';
import { getService } from '#core/catalog';
import { ValidationError } from '#core/errors';
import { MAX_ATTEMPTS, Notifier } from '#core/notifications/notifier';
import type { Clock } from '#core/ports';
import { listSentMail, startSesLocal } from '../../local/ses-local.ts';
import { clearSentSms, listSentSms, type SmsSink, startSmsSink } from '../../local/sms-sink.ts';
import { birthDeciders, parentB } from '../support/actors.ts';
import { freshTable } from '../support/dynamo.ts';
import { birthForm } from '../support/forms.ts';
import { mobilesIn } from '../support/pii-scan.ts';
import { streamBatch } from '../support/stream-batch.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let ses: Awaited<ReturnType<typeof startSesLocal>>;
let sink: SmsSink;
let service: ApplicationService;
let repo: DynamoApplicationRepository;
let deliveries: DeliveryStore;
const dir = mkdtempSync(join(tmpdir(), 'sms-'));
const MOTHER = '13805771234'; // the fixture's mother's mobile number

beforeAll(async () => {
  table = await freshTable('sms');
  ses = await startSesLocal({});
  sink = await startSmsSink({ file: join(dir, 'sms.jsonl') });
  repo = new DynamoApplicationRepository(table.doc, table.tableName, localFieldCipher(join(dir, 'k.json')));
  service = new ApplicationService(repo, {
    clock: { now: () => new Date() },
    ids: { newId: ulid },
    calendar: new WorkingCalendar(),
  });
  deliveries = new DeliveryStore(table.doc, table.tableName);
});
afterAll(async () => {
  await sink.stop();
  await ses.stop();
  await table.drop();
});

const notifier = (opts: { smsUrl?: string; clock?: Clock; cap?: number } = {}) =>
  new Notifier({
    repo,
    deliveries,
    mailer: new SesMailer(sesClientConfig(ses.endpoint), 'noreply@onestop.local'),
    sms: new SinkSms(opts.smsUrl ?? sink.url),
    smsDailyCap: opts.cap,
    clock: opts.clock ?? { now: () => new Date() },
    consoleUrl: 'http://127.0.0.1:3000',
  });

const textsFor = async (appId: string) => (await listSentSms(sink.url)).filter((m) => m.text.includes(appId));
const mailsFor = async (appId: string) =>
  (await listSentMail(ses.endpoint)).filter((m) => (m.text ?? '').includes(appId));

async function submit(channels: string[] | undefined, email: string | undefined) {
  const form = birthForm();
  form.contact = { ...(email ? { email } : {}), ...(channels ? { channels } : {}) };
  return (await service.submit(parentB, { service: 'birth-registration', form })).view;
}

const notified = async (appId: string) => {
  const { shouldNotify } = await import('#core/notifications/templates');
  return (await repo.listEvents(appId)).filter(shouldNotify);
};

describe('the channel choice on the form', () => {
  it('refuses e-mail as a channel without an address, and an empty or repeated choice', async () => {
    const cases: Array<[unknown, string]> = [
      [{ channels: ['email'] }, 'form.contact.email'],
      [{ channels: ['sms', 'email'] }, 'form.contact.email'],
      [{}, 'form.contact.email'], // absent choice: e-mail, as before SMS existed
      [{ channels: [] }, 'form.contact.channels'],
      [{ channels: ['sms', 'sms'] }, 'form.contact.channels'],
      [{ channels: ['fax'] }, 'form.contact.channels.0'],
    ];
    for (const [contact, path] of cases) {
      const form = { ...birthForm(), contact };
      const err = await service.submit(parentB, { service: 'birth-registration', form }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, JSON.stringify(contact)).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).fields.map((f) => f.path)).toContain(path);
    }
    expect(await repo.listByApplicant(parentB.sub)).toEqual([]);
  });

  it('accepts SMS only without an e-mail address and keeps the number encrypted on the case', async () => {
    const view = await submit(['sms'], undefined);
    const app = await repo.get(view.id);
    expect(app).toMatchObject({ channels: ['sms'], contactPhone: MOTHER });
    expect(app?.contactEmail).toBe(parentB.email); // none: parent-b's token carries no e-mail
    const raw = await table.doc.send(
      new GetCommand({ TableName: table.tableName, Key: { pk: `APP#${view.id}`, sk: 'A' } }),
    );
    expect(String(raw.Item?.contactPhone)).toMatch(/^enc:v1:/);
  });
});

describe('SMS notifications', () => {
  it('texts each notified event exactly once, on SMS only when SMS only was chosen', async () => {
    const view = await submit(['sms'], undefined);
    const d = birthDeciders['birth-certificate']!;
    await service.decide(d.actor, view.id, 'birth-certificate', { decision: 'approve', outputs: d.outputs });
    const events = await notified(view.id);
    expect(events.map((e) => e.type)).toEqual(['submitted', 'step-approved']);
    const n = notifier();

    const first = [];
    for (const e of events) first.push(await n.handleChannels(e));
    const again = [];
    for (const e of events) again.push(await n.handleChannels(e));

    expect(first).toEqual([{ sms: 'sent' }, { sms: 'sent' }]);
    expect(again).toEqual([{ sms: 'duplicate' }, { sms: 'duplicate' }]);
    const texts = await textsFor(view.id);
    expect(texts.map((t) => t.to)).toEqual([MOTHER, MOTHER]);
    const title = getService('birth-registration').title['zh-CN'];
    expect(texts[0]?.text).toBe(
      `【乐清Onestop】您的${title}申请（编号${view.id}）：已受理。详情：http://127.0.0.1:3000/parent/applications/${view.id}`,
    );
    expect(texts[1]?.text).toMatch(/出生医学证明已办结/);
    const form = birthForm();
    for (const t of texts) {
      expect(t.text.length).toBeLessThanOrEqual(140);
      for (const secret of [form.child.name, form.mother.name, form.mother.idNumber, form.hukou.address])
        expect(t.text).not.toContain(secret);
      for (const output of Object.values(d.outputs)) expect(t.text).not.toContain(output);
    }
    expect(await mailsFor(view.id)).toEqual([]);
    const records = await deliveries.list(view.id);
    expect(records.map((r) => [r.channel, r.status])).toEqual([
      ['sms', 'sent'],
      ['sms', 'sent'],
    ]);
    // the delivery records hold no number and no text
    const raw = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :n)',
        ExpressionAttributeValues: { ':pk': `APP#${view.id}`, ':n': 'N#' },
      }),
    );
    const stored = JSON.stringify(raw.Items);
    expect(mobilesIn(stored)).toEqual([]);
    expect(stored).not.toContain('乐清Onestop');
  });

  it('sends on both channels when both were chosen, each once', async () => {
    const view = await submit(['sms', 'email'], 'both@example.com');
    const [submitted] = await notified(view.id);
    const n = notifier();
    const [a, b] = await Promise.all([n.handleChannels(submitted!), n.handleChannels(submitted!)]);
    // two consumers at once: each channel is sent by exactly one of them
    for (const channel of ['sms', 'email'] as const) {
      const both = [a?.[channel], b?.[channel]];
      expect(
        both.filter((o) => o === 'sent'),
        channel,
      ).toHaveLength(1);
      expect(both.filter((o) => o !== 'sent')[0], channel).toMatch(/^(duplicate|in-flight)$/);
    }
    expect(await textsFor(view.id)).toHaveLength(1);
    const mails = await mailsFor(view.id);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toEqual(['both@example.com']);
    expect((await deliveries.list(view.id)).map((r) => r.channel).sort()).toEqual(['email', 'sms']);
  });

  it('keeps to e-mail when e-mail only was chosen', async () => {
    const view = await submit(['email'], 'mail.only@example.com');
    const [submitted] = await notified(view.id);
    expect(await notifier().handleChannels(submitted!)).toEqual({ email: 'sent' });
    expect(await textsFor(view.id)).toEqual([]);
  });

  it('records "no recipient" when the case has no number', async () => {
    const view = await submit(['sms'], undefined);
    await table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { pk: `APP#${view.id}`, sk: 'A' },
        UpdateExpression: 'REMOVE contactPhone',
      }),
    );
    const [submitted] = await notified(view.id);
    expect(await notifier().handle(submitted!)).toBe('no-recipient');
    expect(await deliveries.list(view.id)).toMatchObject([
      { channel: 'sms', status: 'skipped', error: 'no recipient' },
    ]);
    expect(await textsFor(view.id)).toEqual([]);
  });

  it('retries while the SMS service is down, then dead-letters without touching the case', async () => {
    const view = await submit(['sms'], undefined);
    const [submitted] = await notified(view.id);
    const before = await repo.get(view.id);
    const down = await startSmsSink({ file: join(dir, 'down.jsonl') });
    await down.stop(); // connection refused from now on
    const n = notifier({ smsUrl: down.url });
    const outcomes = [];
    for (let i = 0; i < MAX_ATTEMPTS; i++) outcomes.push(await n.handle(submitted!));
    expect(outcomes).toEqual(['retry', 'retry', 'dead-lettered']);
    expect(await n.handle(submitted!)).toBe('duplicate');
    expect((await deliveries.list(view.id))[0]).toMatchObject({
      channel: 'sms',
      status: 'failed',
      attempts: MAX_ATTEMPTS,
      error: 'ServiceUnavailable',
    });
    const letters = await deliveries.listDeadLetters('notifier');
    expect(letters.find((l) => l.eventId === submitted!.eventId)).toMatchObject({ channel: 'sms' });
    expect(await repo.get(view.id)).toEqual(before);
  });

  it("resumes a crashed consumer's claimed text once its lease has run out, and sends it once", async () => {
    const view = await submit(['sms'], undefined);
    const [submitted] = await notified(view.id);
    expect(
      await deliveries.claim(view.id, submitted!.eventId, submitted!.type, new Date(), 'sms'),
    ).toMatchObject({ ok: true });
    // the stream redelivers within the lease: not sent, not a duplicate either
    expect(await notifier().handleChannels(submitted!)).toEqual({ sms: 'in-flight' });
    const later = notifier({ clock: { now: () => new Date(Date.now() + 61_000) } });
    const resumed = await later.resumeUnfinished(500);
    expect(resumed.sent).toBeGreaterThanOrEqual(1);
    await later.resumeUnfinished(500);
    expect(await textsFor(view.id)).toHaveLength(1);
    expect((await deliveries.list(view.id))[0]).toMatchObject({
      channel: 'sms',
      status: 'sent',
      attempts: 2,
    });
  });

  it('stops at the day cap shared by all cases and dead-letters the rest for a replay', async () => {
    // a day of its own (far in the future), so no other test's texts count
    const day = { now: () => new Date('2031-05-06T10:00:00+08:00') };
    const a = await submit(['sms'], undefined);
    const b = await submit(['sms'], undefined);
    const n = notifier({ clock: day, cap: 1 });
    const [sa] = await notified(a.id);
    const [sb] = await notified(b.id);
    const outcomes = await Promise.all([n.handle(sa!), n.handle(sb!)]);
    expect(outcomes.sort()).toEqual(['over-budget', 'sent']);
    expect((await textsFor(a.id)).length + (await textsFor(b.id)).length).toBe(1);
    const capped = [...(await deliveries.list(a.id)), ...(await deliveries.list(b.id))].find(
      (r) => r.status === 'failed',
    );
    expect(capped).toMatchObject({ channel: 'sms', error: 'daily SMS cap reached' });
    // the next China day has a fresh budget
    const next = notifier({ clock: { now: () => new Date('2031-05-07T00:30:00+08:00') }, cap: 1 });
    const c = await submit(['sms'], undefined);
    const [sc] = await notified(c.id);
    expect(await next.handle(sc!)).toBe('sent');
  });
});

describe('the local SMS sink', () => {
  it('shows texts on its zh-CN/en viewer page, serves /store, refuses bad input and keeps texts across a restart', async () => {
    const file = join(dir, 'viewer.jsonl');
    const own = await startSmsSink({ file });
    try {
      const bad = await fetch(`${own.url}/messages`, {
        method: 'POST',
        body: JSON.stringify({ to: 'nobody', text: 'x' }),
      });
      expect(bad.status).toBe(400);
      const { messageId } = await new SinkSms(own.url).send('13900001111', '【乐清Onestop】<测试>');
      expect(messageId).toMatch(/^[0-9A-Z]{26}$/);
      const page = await (await fetch(`${own.url}/`)).text();
      expect(page).toContain('<html lang="zh-CN">');
      expect(page).toContain('本地短信查看');
      expect(page).toContain('Local SMS viewer');
      expect(page).toContain('【乐清Onestop】&lt;测试&gt;'); // escaped, never markup
      expect(await listSentSms(own.url)).toMatchObject([{ messageId, to: '13900001111' }]);
      const since = Math.ceil(Date.now() / 1000) + 60;
      expect((await (await fetch(`${own.url}/store?since=${since}`)).json()).messages).toEqual([]);
    } finally {
      await own.stop();
    }
    const again = await startSmsSink({ file });
    try {
      expect((await listSentSms(again.url)).map((m) => m.to)).toEqual(['13900001111']);
      await clearSentSms(again.url);
      expect(await listSentSms(again.url)).toEqual([]);
    } finally {
      await again.stop();
    }
  });
});

describe('the stream consumer with SMS', () => {
  it('texts through the wiring of its environment, logs outcomes only, and reports the texts sent as a metric in AWS', async () => {
    Object.assign(process.env, {
      TABLE_NAME: table.tableName,
      DYNAMODB_ENDPOINT: table.endpoint,
      SES_ENDPOINT: ses.endpoint,
      SMS_SINK_URL: sink.url,
      DATA_KEY_FILE: join(dir, 'k.json'),
      MAIL_FROM: 'noreply@onestop.local',
      STAGE: 'dev',
    });
    const { handler } = await import('../../functions/streams/notifier.ts');
    const view = await submit(['sms'], undefined);
    const d = birthDeciders['birth-certificate']!;
    await service.decide(d.actor, view.id, 'birth-certificate', { decision: 'approve', outputs: d.outputs });
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      lines.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof process.stdout.write;
    try {
      const res = await handler(await streamBatch(table, view.id));
      expect(res.batchItemFailures).toEqual([]);
    } finally {
      process.stdout.write = write;
      delete process.env.STAGE;
    }
    expect(await textsFor(view.id)).toHaveLength(2);
    const metric = lines.map((l) => l.trim()).find((l) => l.includes('"SmsSent"'));
    expect(JSON.parse(metric ?? '{}')).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'Onestop', Metrics: [{ Name: 'SmsSent' }] }] },
      Stage: 'dev',
      SmsSent: 2,
    });
    const logged = lines.join('');
    expect(logged).toContain('"channels":{"sms":"sent"}');
    expect(mobilesIn(logged)).toEqual([]);
    expect(logged).not.toContain('乐清Onestop');
  });
});
