import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFieldCipher } from '#adapters/crypto/field-cipher';
import { DynamoApplicationRepository } from '#adapters/dynamodb/application-repository';
import { ApplicationService } from '#core/application-service';
import { WorkingCalendar } from '#core/calendar';
import { transition } from '#core/engine/transition';
import { IdempotencyConflictError, VersionConflictError } from '#core/errors';
import { getService } from '#services/registry';
import { birthDeciders, cw, parentA } from '../support/actors.ts';
import { freshTable } from '../support/dynamo.ts';
import { birthForm } from '../support/forms.ts';

let table: Awaited<ReturnType<typeof freshTable>>;
let repo: DynamoApplicationRepository;
let service: ApplicationService;
let cipher: ReturnType<typeof localFieldCipher>;
const calendar = new WorkingCalendar();

beforeAll(async () => {
  table = await freshTable('store');
  cipher = localFieldCipher(join(mkdtempSync(join(tmpdir(), 'keys-')), 'k.json'));
  repo = new DynamoApplicationRepository(table.doc, table.tableName, cipher);
  service = new ApplicationService(repo, {
    clock: { now: () => new Date() },
    ids: { newId: ulid },
    calendar,
  });
});
afterAll(() => table.drop());

const submit = () => service.submit(parentA, { service: 'birth-registration', form: birthForm() });

describe('DynamoApplicationRepository on DynamoDB Local', () => {
  it('stores ID numbers encrypted, with a blind index, and returns them decrypted', async () => {
    const { view } = await submit();
    const items = await table.scanAll();
    const raw = JSON.stringify(items);
    expect(raw).not.toContain('330382199503120249');
    expect(raw).toContain('enc:v1:');
    const app = items.find((i) => i.pk === `APP#${view.id}` && i.sk === 'A') as {
      idIndex: Record<string, string>;
    };
    expect(app.idIndex['mother.idNumber']).toMatch(/^[0-9a-f]{64}$/);
    expect((await repo.get(view.id))?.form.mother).toMatchObject({ idNumber: '330382199503120249' });
  });

  it('lets exactly one of two caseworkers deciding the same step at once succeed; the other gets a conflict', async () => {
    const { view } = await submit();
    // Both requests read the same version before either writes: a real race, not two turns.
    let arrived = 0;
    let release: () => void = () => {};
    const bothRead = new Promise<void>((r) => {
      release = r;
    });
    const racing = new (class extends DynamoApplicationRepository {
      override async get(id: string) {
        const app = await super.get(id);
        if (++arrived === 2) release();
        await bothRead;
        return app;
      }
    })(table.doc, table.tableName, cipher);
    const racer = new ApplicationService(racing, {
      clock: { now: () => new Date() },
      ids: { newId: ulid },
      calendar,
    });
    const outputs = birthDeciders['birth-certificate']!.outputs;
    const results = await Promise.allSettled([
      racer.decide(cw('health', undefined, 'cw-health-1'), view.id, 'birth-certificate', {
        decision: 'approve',
        outputs,
      }),
      racer.decide(cw('health', undefined, 'cw-health-2'), view.id, 'birth-certificate', {
        decision: 'reject',
        reason: 'documents-missing',
      }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(VersionConflictError);
    const events = await repo.listEvents(view.id);
    expect(
      events.filter(
        (e) => e.step === 'birth-certificate' && (e.type === 'step-approved' || e.type === 'step-rejected'),
      ),
    ).toHaveLength(1);
  });

  it('writes nothing at all when the transaction fails', async () => {
    const { view } = await submit();
    const stale = (await repo.get(view.id))!;
    await service.claim(cw('cdc'), view.id, 'vaccination');
    const before = await table.scanAll();
    const result = transition(
      getService('birth-registration'),
      stale,
      { type: 'claim', step: 'birth-certificate' },
      cw('health'),
      new Date(),
      {
        calendar,
        newEventId: ulid,
      },
    );
    await expect(repo.save(result, stale.version)).rejects.toBeInstanceOf(VersionConflictError);
    expect(await table.scanAll()).toEqual(before);
  });

  it('creates one application for the same Idempotency-Key, even when sent concurrently', async () => {
    const form = birthForm();
    const key = `key-${ulid()}`;
    const results = await Promise.all(
      Array.from({ length: 5 }, () => service.submit(parentA, { service: 'birth-registration', form }, key)),
    );
    const ids = new Set(results.map((r) => r.view.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const mine = (await repo.listByApplicant(parentA.sub)).filter((a) => ids.has(a.id));
    expect(mine).toHaveLength(1);
    const other = { ...form, child: { ...form.child, name: '另一个' } };
    await expect(
      service.submit(parentA, { service: 'birth-registration', form: other }, key),
    ).rejects.toBeInstanceOf(IdempotencyConflictError);
  });

  it('serves agency queues and township queues by GSI query', async () => {
    const { view } = await submit();
    const open = await service.queue(cw('health'), { status: 'open' });
    expect(open.map((t) => t.appId)).toContain(view.id);
    await service.decide(cw('health'), view.id, 'birth-certificate', {
      decision: 'approve',
      outputs: { certificateNumber: 'Q330000001' },
    });
    expect((await service.queue(cw('health'), { status: 'open' })).map((t) => t.appId)).not.toContain(
      view.id,
    );
    expect((await service.queue(cw('police', 'liushi'), { status: 'open' })).map((t) => t.appId)).toContain(
      view.id,
    );
    expect(
      (await service.queue(cw('police', 'lecheng'), { status: 'open' })).map((t) => t.appId),
    ).not.toContain(view.id);
  });

  it('sweeps SLA warnings and breaches through the due index, once each', async () => {
    const { view } = await submit();
    const due = Date.parse(view.steps.find((s) => s.step === 'birth-certificate')!.dueAt!);
    const at = (ms: number) =>
      new ApplicationService(repo, { clock: { now: () => new Date(ms) }, ids: { newId: ulid }, calendar });
    const opened = Date.now();
    await at(opened + (due - opened) * 0.9).sweep();
    expect((await at(due + 1000).sweep()).breaches).toBeGreaterThanOrEqual(1);
    await at(due + 2000).sweep();
    const events = (await repo.listEvents(view.id)).filter((e) => e.step === 'birth-certificate');
    expect(events.filter((e) => e.type === 'sla-warning')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'sla-breached')).toHaveLength(1);
    expect(
      (await repo.dueTimers(new Date(due + 3000), 1000)).filter(
        (d) => d.appId === view.id && d.step === 'birth-certificate',
      ),
    ).toEqual([]);
    const queue = await service.queue(cw('health'), { status: 'open' });
    expect(queue.find((t) => t.appId === view.id)).toMatchObject({ breached: true });
  });
});
