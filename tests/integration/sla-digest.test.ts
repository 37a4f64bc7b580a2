/**
 * Staff are reached too (issue 15, item 6): one SLA digest per agency and day to its duty inbox,
 * on DynamoDB Local and the local SES. Through the real sweeper handler with the inbox an admin
 * sets in the reference data; then the use case itself with a moving clock: nothing before the
 * digest hour, one mail per agency listing every late step (township-level agencies across
 * townships), no personal data, nothing more that day; two sweeps at once send one; a sender that
 * died after its claim is taken over when the lease runs out; no inbox is recorded, not mailed.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFieldCipher } from '#adapters/crypto/field-cipher';
import { DynamoApplicationRepository } from '#adapters/dynamodb/application-repository';
import { DynamoDigestLog } from '#adapters/dynamodb/digest-log';
import { SesMailer, sesClientConfig } from '#adapters/ses/mailer';
import { ApplicationService } from '#core/application-service';
import { WorkingCalendar } from '#core/calendar';
import { type DigestAgency, SlaDigests } from '#core/notifications/sla-digest';
import { listSentMail, startSesLocal } from '../../local/ses-local.ts';
import { cw, parentA } from '../support/actors.ts';
import { birthForm } from '../support/forms.ts';
import { type Claims, setupHandlers } from '../support/invoke.ts';

let ctx: Awaited<ReturnType<typeof setupHandlers>>;
let ses: Awaited<ReturnType<typeof startSesLocal>>;
let repo: DynamoApplicationRepository;
let service: ApplicationService;
let doc: ReturnType<typeof import('#adapters/dynamodb/client').makeDocumentClient>;
const admin: Claims = { sub: 'admin-digest', role: 'admin' };
const parent: Claims = { sub: 'parent-digest', role: 'parent' };

beforeAll(async () => {
  ses = await startSesLocal({});
  ctx = await setupHandlers();
  Object.assign(process.env, { SES_ENDPOINT: ses.endpoint, MAIL_FROM: 'noreply@onestop.local' });
  const { makeDocumentClient } = await import('#adapters/dynamodb/client');
  doc = makeDocumentClient();
  repo = new DynamoApplicationRepository(
    doc,
    process.env.TABLE_NAME as string,
    localFieldCipher(process.env.DATA_KEY_FILE as string),
  );
  service = new ApplicationService(repo, {
    clock: { now: () => new Date() },
    ids: { newId: ulid },
    calendar: new WorkingCalendar(),
  });
});
afterAll(async () => {
  await ses?.stop();
});

const mailsTo = async (to: string) => (await listSentMail(ses.endpoint)).filter((m) => m.to.includes(to));

describe('the daily SLA digest', () => {
  it('the sweeper mails the inbox an admin set, once, with every late step and no personal data', async () => {
    const form = birthForm();
    const created = await ctx.invoke('POST /applications', parent, {
      body: { service: 'birth-registration', form },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const listed = await ctx.invoke('GET /admin/reference/{kind}', admin, { params: { kind: 'agencies' } });
    const version = (listed.body.entries as Array<{ id: string; version: number }>).find(
      (e) => e.id === 'health',
    )?.version;
    const set = await ctx.invoke('PUT /admin/reference/{kind}/{id}', admin, {
      params: { kind: 'agencies', id: 'health' },
      body: { version, effectiveFrom: '2020-01-01', values: { email: 'duty@health.example.cn' } },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);

    // every open step is late a month from now; the digest hour is midnight for this run
    Object.assign(process.env, { SLA_DIGEST_HOUR: '0', REFERENCE_TTL_MS: '0' });
    // the service clock a month on (CLOCK_OFFSET_MS: local and test stages only)
    process.env.CLOCK_OFFSET_MS = String(30 * 86_400_000);
    try {
      const { handler } = await import('../../functions/scheduled/sweeper.ts');
      await handler();
      await handler();
    } finally {
      delete process.env.CLOCK_OFFSET_MS;
    }
    const mails = await mailsTo('duty@health.example.cn');
    expect(mails).toHaveLength(1);
    const text = mails[0]?.text ?? '';
    expect(mails[0]?.subject).toContain('时限预警日报');
    expect(text).toContain(id);
    expect(text).toContain('出生医学证明');
    expect(text).toContain(`/caseworker/cases/${id}`);
    for (const personal of [form.child.name, form.mother.name, form.mother.idNumber, form.mother.phone]) {
      expect(text).not.toContain(personal);
    }
  });

  describe('the use case', () => {
    const agencies: DigestAgency[] = [
      { id: 'health', name: { 'zh-CN': '卫健局', en: 'Health' }, level: 'city', email: 'h@example.cn' },
      { id: 'police', name: { 'zh-CN': '派出所', en: 'Police' }, level: 'township', email: 'p@example.cn' },
      { id: 'cdc', name: { 'zh-CN': '疾控中心', en: 'CDC' }, level: 'city' },
    ];
    let now = new Date();
    const digests = (hour = 8) =>
      new SlaDigests({
        repo,
        log: new DynamoDigestLog(doc, process.env.TABLE_NAME as string),
        mailer: new SesMailer(sesClientConfig(ses.endpoint), 'noreply@onestop.local'),
        clock: { now: () => now },
        agencies: () => agencies,
        townships: () => ['liushi', 'lecheng', 'hongqiao'],
        consoleUrl: 'https://console.example.cn',
        hour,
        onNoInbox: () => undefined,
      });
    /** a China day far from the other test's, at the given China hour */
    const at = (dayOffset: number, chinaHour: number) => {
      const d = new Date(Date.UTC(2031, 0, 6 + dayOffset, chinaHour - 8, 5));
      return d;
    };

    it('waits for the hour, then one mail per agency with an inbox; nothing more that day', async () => {
      const ids: string[] = [];
      for (const township of ['liushi', 'lecheng']) {
        const form = birthForm();
        form.hukou.township = township;
        const { view } = await service.submit(parentA, { service: 'birth-registration', form });
        // the police step opens after the birth certificate: decide it so both steps wait
        await service.claim(cw('health'), view.id, 'birth-certificate');
        await service.decide(cw('health'), view.id, 'birth-certificate', {
          decision: 'approve',
          outputs: { certificateNumber: 'Q330123456' },
        });
        ids.push(view.id);
      }
      now = at(0, 7);
      expect(await digests().run()).toEqual({ sent: 0, empty: 0, noInbox: 0 });
      now = at(0, 9);
      const first = await digests().run();
      // health and police mailed; the CDC's vaccination steps wait too, but it has no inbox yet
      expect(first).toEqual({ sent: 2, empty: 0, noInbox: 1 });
      // health: the first test's case still waits on it; one mail
      expect(await mailsTo('h@example.cn')).toHaveLength(1);
      // police (township-level): one mail with both townships' steps
      const police = await mailsTo('p@example.cn');
      expect(police).toHaveLength(1);
      for (const id of ids) expect(police[0]?.text).toContain(id);
      expect(police[0]?.text).toContain('liushi');
      expect(police[0]?.text).toContain('lecheng');
      // the rest of the day adds nothing
      now = at(0, 15);
      expect(await digests().run()).toEqual({ sent: 0, empty: 0, noInbox: 0 });
      expect(await mailsTo('h@example.cn')).toHaveLength(1);
    });

    it('two sweeps at once send one digest; a dead sender is taken over after its lease', async () => {
      now = at(1, 9);
      const [a, b] = await Promise.all([digests().run(), digests().run()]);
      // health and police each mailed once between the two sweeps
      expect(a.sent + b.sent).toBe(2);
      expect(await mailsTo('h@example.cn')).toHaveLength(2);
      expect(await mailsTo('p@example.cn')).toHaveLength(2);

      // day 3: a sender claims health's digest and dies before mailing
      now = at(2, 9);
      const log = new DynamoDigestLog(doc, process.env.TABLE_NAME as string);
      const day = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
      expect(await log.claim(day, 'health', now)).toBe(true);
      await digests().run();
      expect(await mailsTo('h@example.cn')).toHaveLength(2);
      now = new Date(now.getTime() + 6 * 60_000);
      await digests().run();
      expect(await mailsTo('h@example.cn')).toHaveLength(3);
      await digests().run();
      expect(await mailsTo('h@example.cn')).toHaveLength(3);
    });
  });
});
