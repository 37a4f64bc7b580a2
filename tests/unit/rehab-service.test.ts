import { beforeEach, describe, expect, it } from 'vitest';
import { ApplicationService } from '#core/application-service';
import { WorkingCalendar } from '#core/calendar';
import { MAX_DOCUMENT_BYTES, sniffType } from '#core/documents';
import type { Actor } from '#core/engine/types';
import {
  DuplicateApplicationError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ValidationError,
} from '#core/errors';
import { chinaYear } from '#services/rehab-aid/eligibility';
import { CapExceededError, RehabConflictError } from '#services/rehab-aid/errors';
import { seedStandards } from '#services/rehab-aid/reference';
import { RehabService } from '#services/rehab-aid/service';
import { admin, auditor, cw, parentA, parentB } from '../support/actors.ts';
import { fixtureForm } from '../support/forms.ts';
import { MemoryRepository } from '../support/memory-repo.ts';
import { MemoryDocumentStorage, MemoryRehabStore } from '../support/rehab-memory-store.ts';

// Wednesday 2026-11-25 09:00 China time; the aid year is 2026 (hearing, 0–6: ¥2,400/month, ¥24,000/year).
let now = new Date('2026-11-25T01:00:00Z');
let seq = 0;

const township = cw('dpf-township', 'liushi');
const otherTownship = cw('dpf-township', 'lecheng');
const city = cw('dpf-city');
const centre: Actor = {
  sub: 'cw-rehab-center',
  role: 'caseworker',
  agency: 'rehab-institution:yq-rehab-center',
};
const mch: Actor = { sub: 'cw-rehab-mch', role: 'caseworker', agency: 'rehab-institution:yq-mch-rehab' };

const PDF = new TextEncoder().encode('%PDF-1.7\n% rehab test document\n');
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

function rehabForm(at = now): Record<string, any> {
  const form = fixtureForm('rehab-aid', { sameChild: true });
  form.application.aidYear = chinaYear(at);
  return form;
}

function setup() {
  const repo = new MemoryRepository();
  const store = new MemoryRehabStore(repo);
  const files = new MemoryDocumentStorage();
  const ids = { newId: () => `01J${String(++seq).padStart(23, '0')}` };
  const clock = { now: () => now };
  const apps = new ApplicationService(repo, { clock, ids, calendar: new WorkingCalendar() });
  const rehab = new RehabService({
    apps: repo,
    appService: apps,
    store,
    files,
    clock,
    ids,
    childKey: (id) => `hmac(${id.slice(-4)})`,
  });
  return { repo, store, files, apps, rehab };
}
type World = ReturnType<typeof setup>;

/** Submits and takes the application through township, city and assessment to the approval step. */
async function toApproval(w: World, form = rehabForm(), parent: Actor = parentA) {
  const { view } = await w.apps.submit(parent, { service: 'rehab-aid', form });
  await w.apps.decide(township, view.id, 'township-review', {
    decision: 'approve',
    outputs: { familySituation: 'dibao' },
  });
  await w.apps.decide(city, view.id, 'city-review', { decision: 'approve' });
  const assessor = form.rehabilitation.institution === 'yq-mch-rehab' ? mch : centre;
  await w.apps.decide(assessor, view.id, 'assessment', {
    decision: 'approve',
    outputs: { assessedLevel: 'moderate', sessionsPerMonth: 12, plan: '助听器调试与言语训练每周三次' },
  });
  return view.id;
}

async function approvedPlan(w: World, institution = 'yq-rehab-center') {
  const id = await toApproval(w);
  await w.rehab.approve(city, id);
  await w.rehab.chooseInstitution(parentA, id, institution);
  return id;
}

async function rejection(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e as Error & { code: string },
  );
}

describe('rehab documents', () => {
  beforeEach(() => {
    now = new Date('2026-11-25T01:00:00Z');
  });

  it('hands out an upload URL whose signature covers type, exact length and encryption', async () => {
    const w = setup();
    const { view } = await w.apps.submit(parentA, { service: 'rehab-aid', form: rehabForm() });
    const { document, upload } = await w.rehab.documents.requestUpload(parentA, view.id, {
      kind: 'disability-certificate',
      contentType: 'application/pdf',
      size: PDF.length,
    });
    expect(document).toMatchObject({
      status: 'awaiting-upload',
      objectKey: `rehab/${view.id}/${document.documentId}`,
    });
    expect(upload.headers).toEqual({
      'content-type': 'application/pdf',
      'content-length': String(PDF.length),
      'x-amz-server-side-encryption': 'AES256',
    });
  });

  it('refuses a file over 10 MB before any upload URL exists', async () => {
    const w = setup();
    const { view } = await w.apps.submit(parentA, { service: 'rehab-aid', form: rehabForm() });
    await expect(
      w.rehab.documents.requestUpload(parentA, view.id, {
        kind: 'hukou',
        contentType: 'image/jpeg',
        size: MAX_DOCUMENT_BYTES + 1,
      }),
    ).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(w.store.documents.size).toBe(0);
  });

  it('accepts a real PDF, and refuses and deletes a PNG that claims to be a PDF', async () => {
    const w = setup();
    const { view } = await w.apps.submit(parentA, { service: 'rehab-aid', form: rehabForm() });
    const good = await w.rehab.documents.requestUpload(parentA, view.id, {
      kind: 'diagnosis',
      contentType: 'application/pdf',
      size: PDF.length,
    });
    w.files.put(good.document.objectKey, PDF, 'application/pdf');
    expect((await w.rehab.documents.completeUpload(parentA, view.id, good.document.documentId)).status).toBe(
      'uploaded',
    );

    const fake = await w.rehab.documents.requestUpload(parentA, view.id, {
      kind: 'hukou',
      contentType: 'application/pdf',
      size: PNG.length,
    });
    w.files.put(fake.document.objectKey, PNG, 'application/pdf');
    const err = await rejection(w.rehab.documents.completeUpload(parentA, view.id, fake.document.documentId));
    expect(err.code).toBe('DOCUMENT_REFUSED');
    expect(w.files.objects.has(fake.document.objectKey)).toBe(false);
    const docs = await w.rehab.documents.list(township, view.id);
    expect(docs.map((d) => d.status).sort()).toEqual(['refused', 'uploaded']);
    expect(docs.find((d) => d.status === 'refused')?.refusedReason).toBe('type-mismatch');
  });

  it('refuses an object stored without server-side encryption', async () => {
    const w = setup();
    const { view } = await w.apps.submit(parentA, { service: 'rehab-aid', form: rehabForm() });
    const { document } = await w.rehab.documents.requestUpload(parentA, view.id, {
      kind: 'diagnosis',
      contentType: 'application/pdf',
      size: PDF.length,
    });
    w.files.put(document.objectKey, PDF, 'application/pdf', { encrypted: false });
    const err = await rejection(w.rehab.documents.completeUpload(parentA, view.id, document.documentId));
    expect(err.code).toBe('DOCUMENT_REFUSED');
  });

  it('recognises PDF, JPEG and PNG by their first bytes only', () => {
    expect(sniffType(PDF)).toBe('application/pdf');
    expect(sniffType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffType(PNG)).toBe('image/png');
    expect(sniffType(new TextEncoder().encode('<html>'))).toBeUndefined();
  });

  it('records every view as an audit event without personal data, and gives a 5-minute link', async () => {
    const w = setup();
    const { view } = await w.apps.submit(parentA, { service: 'rehab-aid', form: rehabForm() });
    const { document } = await w.rehab.documents.requestUpload(parentA, view.id, {
      kind: 'diagnosis',
      contentType: 'application/pdf',
      size: PDF.length,
    });
    w.files.put(document.objectKey, PDF, 'application/pdf');
    await w.rehab.documents.completeUpload(parentA, view.id, document.documentId);
    await w.rehab.documents.link(township, view.id, document.documentId);
    await w.rehab.documents.link(city, view.id, document.documentId);
    const views = w.repo.events.filter((e) => (e.type as string) === 'document-viewed');
    expect(views.map((e) => e.actor.sub)).toEqual([township.sub, city.sub]);
    expect(views[0]?.data).toEqual({ documentId: document.documentId, kind: 'diagnosis' });
    const audit = JSON.stringify(w.repo.events);
    for (const personal of ['330382202205141230', '330382199308210425', '陈乐乐', '陈静', '13905771234']) {
      expect(audit).not.toContain(personal);
    }
    expect(w.files.links.map((l) => l.expiresInSeconds)).toEqual([300, 300]);
  });

  it('shows documents only to the family and the case’s caseworkers', async () => {
    const w = setup();
    const { view } = await w.apps.submit(parentA, { service: 'rehab-aid', form: rehabForm() });
    await expect(w.rehab.documents.list(otherTownship, view.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(w.rehab.documents.list(parentB, view.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(w.rehab.documents.list(auditor, view.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      w.rehab.documents.requestUpload(township, view.id, {
        kind: 'hukou',
        contentType: 'image/png',
        size: 10,
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('rehab approval, standards and the aid plan', () => {
  beforeEach(() => {
    now = new Date('2026-11-25T01:00:00Z');
  });

  it('approves with the standard in force and records its version and caps', async () => {
    const w = setup();
    const id = await toApproval(w);
    const { application, standard } = await w.rehab.approve(city, id);
    expect(standard).toEqual({
      standardVersion: '2026.1',
      year: 2026,
      category: 'hearing',
      ageBand: '0-6',
      monthlyCapFen: 240_000,
      yearlyCapFen: 2_400_000,
    });
    expect(application.status).toBe('completed');
    expect(application.steps.find((s) => s.step === 'approval')?.outputs).toEqual(standard);
  });

  it('uses the latest standard an admin published, and keeps every version', async () => {
    const w = setup();
    const amounts = structuredClone(seedStandards[1]!.amounts);
    amounts.hearing['0-6'] = { monthlyCapFen: 300_000, yearlyCapFen: 3_000_000 };
    await expect(w.rehab.publishStandard(city, 2026, amounts)).rejects.toBeInstanceOf(ForbiddenError);
    const published = await w.rehab.publishStandard(admin, 2026, amounts);
    expect(published.id).toBe('2026.2');
    const id = await toApproval(w);
    const { standard } = await w.rehab.approve(city, id);
    expect(standard).toMatchObject({ standardVersion: '2026.2', yearlyCapFen: 3_000_000 });
    expect([...w.store.standards.keys()].sort()).toEqual(['2026.1', '2026.2']);
  });

  it('creates the plan when the family chooses an institution that serves the child', async () => {
    const w = setup();
    const id = await toApproval(w);
    await w.rehab.approve(city, id);
    const fields = await rejection(w.rehab.chooseInstitution(parentA, id, 'hongqiao-rehab'));
    expect(fields).toBeInstanceOf(ValidationError);
    const plan = await w.rehab.chooseInstitution(parentA, id, 'yq-mch-rehab');
    expect(plan).toMatchObject({
      planId: id,
      institution: 'yq-mch-rehab',
      standardVersion: '2026.1',
      yearlyCapFen: 2_400_000,
      sessionsPerMonth: 12,
      status: 'active',
    });
    const again = await rejection(w.rehab.chooseInstitution(parentA, id, 'yq-rehab-center'));
    expect(again.code).toBe('PLAN_EXISTS');
    expect(w.repo.events.map((e) => e.type)).toContain('institution-chosen');
  });

  it('refuses an approval whose caps are typed by hand; and a plan from one that got through anyway', async () => {
    const w = setup();
    const id = await toApproval(w);
    const typed = {
      decision: 'approve' as const,
      outputs: {
        standardVersion: '2026.1',
        year: 2026,
        category: 'hearing',
        ageBand: '0-6',
        monthlyCapFen: 900_000,
        yearlyCapFen: 9_000_000,
      },
    };
    const refused = await rejection(w.apps.decide(city, id, 'approval', typed));
    expect(refused.code).toBe('INVALID_STATE');
    expect(refused.message).toMatch(/standard in force|现行标准/);
    expect((await w.repo.get(id))?.steps.approval?.status).toBe('open');
    // defence in depth: even an approval computed from a forged standard yields no plan
    const real = await w.rehab.standard(2026);
    const forged = {
      ...real,
      id: '2026.9',
      version: 9,
      amounts: {
        ...real.amounts,
        hearing: { ...real.amounts.hearing, '0-6': { monthlyCapFen: 900_000, yearlyCapFen: 9_000_000 } },
      },
    };
    await w.apps.decide(city, id, 'approval', { decision: 'approve' }, { computeInput: forged });
    const err = await rejection(w.rehab.chooseInstitution(parentA, id, 'yq-rehab-center'));
    expect(err.code).toBe('STANDARD_MISMATCH');
    expect(w.store.plans.size).toBe(0);
  });

  it('refuses to choose before approval and to anyone but the family', async () => {
    const w = setup();
    const id = await toApproval(w);
    expect((await rejection(w.rehab.chooseInstitution(parentA, id, 'yq-rehab-center'))).code).toBe(
      'NOT_APPROVED',
    );
    await expect(w.rehab.chooseInstitution(parentB, id, 'yq-rehab-center')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(w.rehab.approve(township, id)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('designated institutions maintained by admins', () => {
  beforeEach(() => {
    now = new Date('2026-11-25T01:00:00Z');
  });
  const sunshine = {
    name: { 'zh-CN': '柳市阳光儿童康复中心', en: 'Liushi Sunshine Children’s Rehabilitation Centre' },
    township: 'liushi',
    categories: ['hearing', 'speech', 'autism'] as const,
    ages: [0, 14] as [number, number],
    effectiveFrom: '2026-06-01',
    status: 'active' as const,
  };

  it('lets an admin add one that families can then choose, and suspend one they then cannot', async () => {
    const w = setup();
    await expect(
      w.rehab.putInstitution(city, 'liushi-sunshine', {
        ...sunshine,
        categories: [...sunshine.categories],
        expectedVersion: 0,
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const added = await w.rehab.putInstitution(admin, 'liushi-sunshine', {
      ...sunshine,
      categories: [...sunshine.categories],
      expectedVersion: 0,
    });
    expect(added).toMatchObject({ id: 'liushi-sunshine', version: 1, updatedBy: admin.sub });
    expect((await w.rehab.institutions(undefined, { category: 'hearing' })).map((i) => i.id)).toContain(
      'liushi-sunshine',
    );
    const id = await toApproval(w);
    await w.rehab.approve(city, id);
    // the centre is suspended meanwhile (a seed institution's first admin version)
    await w.rehab.putInstitution(admin, 'yq-rehab-center', {
      name: { 'zh-CN': '乐清市残疾人康复中心', en: 'Yueqing Rehabilitation Centre' },
      township: 'lecheng',
      categories: ['hearing', 'speech', 'physical', 'intellectual', 'autism'],
      ages: [0, 17],
      effectiveFrom: '2020-01-01',
      status: 'suspended',
      suspendedReason: '年度考核整改',
      expectedVersion: 0,
    });
    expect((await w.rehab.institutions(undefined)).map((i) => i.id)).not.toContain('yq-rehab-center');
    const refused = (await rejection(
      w.rehab.chooseInstitution(parentA, id, 'yq-rehab-center'),
    )) as unknown as ValidationError;
    expect(refused.fields[0]).toMatchObject({ path: 'institution', code: 'rehab.institutionUnavailable' });
    const plan = await w.rehab.chooseInstitution(parentA, id, 'liushi-sunshine');
    expect(plan).toMatchObject({ institution: 'liushi-sunshine', status: 'active' });
    const all = await w.rehab.institutions(admin, { all: true });
    expect(all.find((i) => i.id === 'yq-rehab-center')).toMatchObject({ status: 'suspended', version: 1 });
    await expect(w.rehab.institutions(city, { all: true })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('refuses a change made on a stale version (two admins, one edit wins) and keeps every version', async () => {
    const w = setup();
    const body = { ...sunshine, categories: [...sunshine.categories], expectedVersion: 0 };
    const results = await Promise.allSettled([
      w.rehab.putInstitution(admin, 'liushi-sunshine', body),
      w.rehab.putInstitution(admin, 'liushi-sunshine', { ...body, ages: [0, 6] }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const stale = await rejection(w.rehab.putInstitution(admin, 'liushi-sunshine', body));
    expect(stale.code).toBe('INSTITUTION_CHANGED');
    await w.rehab.putInstitution(admin, 'liushi-sunshine', {
      ...body,
      effectiveTo: '2027-12-31',
      expectedVersion: 1,
    });
    expect((await w.rehab.institutionHistory(auditor, 'liushi-sunshine')).map((r) => r.version)).toEqual([
      1, 2,
    ]);
  });
});

describe('rehab claims and caps', () => {
  beforeEach(() => {
    now = new Date('2026-11-25T01:00:00Z');
  });

  it('lets only the plan’s institution file, for a begun month of the plan year, within the monthly cap', async () => {
    const w = setup();
    const id = await approvedPlan(w);
    await expect(
      w.rehab.fileClaim(mch, id, { month: '2026-11', sessions: 8, amountFen: 100_000 }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const future = await rejection(
      w.rehab.fileClaim(centre, id, { month: '2026-12', sessions: 8, amountFen: 100_000 }),
    );
    expect((future as unknown as ValidationError).fields[0]).toMatchObject({
      path: 'month',
      code: 'future_month',
    });
    const lastYear = await rejection(
      w.rehab.fileClaim(centre, id, { month: '2025-12', sessions: 8, amountFen: 100_000 }),
    );
    expect((lastYear as unknown as ValidationError).fields[0]?.code).toBe('outside_plan_year');
    const over = await rejection(
      w.rehab.fileClaim(centre, id, { month: '2026-11', sessions: 8, amountFen: 240_001 }),
    );
    expect((over as unknown as ValidationError).fields[0]?.path).toBe('amountFen');
    const claim = await w.rehab.fileClaim(centre, id, { month: '2026-10', sessions: 12, amountFen: 180_000 });
    expect(claim).toMatchObject({
      status: 'filed',
      institution: 'yq-rehab-center',
      label: expect.stringContaining('陈*乐'),
    });
    expect((await w.rehab.claims(city, 'filed')).map((c) => c.claimId)).toEqual([claim.claimId]);
  });

  it('funds a cochlear implant within its item cap beyond the monthly cap, once a year; a second is refused', async () => {
    const w = setup();
    const id = await approvedPlan(w); // hearing, 0–6: ¥2,400 a month, ¥24,000 a year
    const { items } = await w.rehab.standard(2026);
    expect(items['cochlear-implant']).toBe(6_000_000);
    const implant = await w.rehab.fileClaim(centre, id, {
      month: '2026-11',
      item: 'cochlear-implant',
      amountFen: 5_800_000,
    });
    expect(implant).toMatchObject({ item: 'cochlear-implant', sessions: 0, status: 'filed' });
    const decided = await w.rehab.decideClaim(city, id, implant.claimId, { decision: 'approve' });
    expect(decided.budget).toMatchObject({
      approvedTotalFen: 0,
      remainingFen: 2_400_000,
      items: { 'cochlear-implant': 5_800_000 },
    });
    // a month of training is still paid within its own caps
    const month = await w.rehab.fileClaim(centre, id, { month: '2026-11', sessions: 12, amountFen: 240_000 });
    await w.rehab.decideClaim(city, id, month.claimId, { decision: 'approve' });
    // a second implant this year is refused
    const second = await rejection(
      w.rehab.fileClaim(centre, id, { month: '2026-11', item: 'cochlear-implant', amountFen: 100_000 }),
    );
    expect(second.code).toBe('ITEM_CAP_EXCEEDED');
    expect(second.message).toContain('once');
    expect((await w.rehab.plan(parentA, id)).budget?.items).toEqual({ 'cochlear-implant': 5_800_000 });
  });

  it('refuses an item over its cap, an item for another disability, sessions on an item, and a month without sessions', async () => {
    const w = setup();
    const id = await approvedPlan(w);
    const fieldOf = async (p: Promise<unknown>) =>
      ((await rejection(p)) as unknown as ValidationError).fields[0];
    expect(
      await fieldOf(
        w.rehab.fileClaim(centre, id, { month: '2026-11', item: 'hearing-aid', amountFen: 600_001 }),
      ),
    ).toMatchObject({ path: 'amountFen', code: 'over_item_cap' });
    const wheelchair = await fieldOf(
      w.rehab.fileClaim(centre, id, { month: '2026-11', item: 'wheelchair', amountFen: 100_000 }),
    );
    expect(wheelchair).toMatchObject({ path: 'item', code: 'item_not_for_category' });
    expect(wheelchair?.message['zh-CN']).toContain('轮椅不适用于听力残疾儿童');
    expect(
      await fieldOf(
        w.rehab.fileClaim(centre, id, { month: '2026-11', item: 'hearing-aid', sessions: 2, amountFen: 100 }),
      ),
    ).toMatchObject({ path: 'sessions', code: 'not_for_item' });
    expect(await fieldOf(w.rehab.fileClaim(centre, id, { month: '2026-11', amountFen: 100 }))).toMatchObject({
      path: 'sessions',
      code: 'required',
    });
    expect(await w.rehab.claims(city, 'filed')).toEqual([]);
  });

  it('keeps each item cap in the published standard’s version; a new version without items keeps them', async () => {
    const w = setup();
    const { amounts } = await w.rehab.standard(2026);
    const v2 = await w.rehab.publishStandard(admin, 2026, amounts, {
      ...(await w.rehab.standard(2026)).items,
      'hearing-aid': 800_000,
    });
    expect(v2.items['hearing-aid']).toBe(800_000);
    const v3 = await w.rehab.publishStandard(admin, 2026, amounts);
    expect(v3).toMatchObject({
      id: '2026.3',
      items: { 'hearing-aid': 800_000, 'cochlear-implant': 6_000_000 },
    });
  });

  it('approves claims into the month’s settlement and refuses what would pass the monthly cap', async () => {
    const w = setup();
    const id = await approvedPlan(w);
    const a = await w.rehab.fileClaim(centre, id, { month: '2026-11', sessions: 10, amountFen: 150_000 });
    const b = await w.rehab.fileClaim(centre, id, { month: '2026-11', sessions: 8, amountFen: 120_000 });
    const first = await w.rehab.decideClaim(city, id, a.claimId, { decision: 'approve' });
    expect(first.budget).toMatchObject({
      approvedTotalFen: 150_000,
      remainingFen: 2_250_000,
      months: { '2026-11': 150_000 },
    });
    const err = await rejection(w.rehab.decideClaim(city, id, b.claimId, { decision: 'approve' }));
    expect(err).toBeInstanceOf(CapExceededError);
    expect(err.code).toBe('MONTHLY_CAP_EXCEEDED');
    expect(err.message).toContain('monthly cap');
    // approving what is left of the month is fine
    const partial = await w.rehab.decideClaim(city, id, b.claimId, {
      decision: 'approve',
      approvedFen: 90_000,
    });
    expect(partial.claim).toMatchObject({
      status: 'approved',
      approvedFen: 90_000,
      settlementMonth: '2026-11',
    });
    const { settlement, claims } = await w.rehab.settlement(city, 'yq-rehab-center', '2026-11');
    expect(settlement).toMatchObject({ status: 'open', totalFen: 240_000, claimCount: 2 });
    expect(claims).toHaveLength(2);
    expect((await rejection(w.rehab.decideClaim(city, id, a.claimId, { decision: 'approve' }))).code).toBe(
      'CLAIM_DECIDED',
    );
  });

  it('never lets the approved total pass the yearly cap, with a reason that says how much is left', async () => {
    const w = setup();
    const id = await approvedPlan(w);
    const approved: number[] = [];
    let refusal: (Error & { code: string }) | undefined;
    for (const month of ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11']) {
      const c = await w.rehab.fileClaim(centre, id, {
        month: `2026-${month}`,
        sessions: 12,
        amountFen: 240_000,
      });
      try {
        await w.rehab.decideClaim(city, id, c.claimId, { decision: 'approve' });
        approved.push(240_000);
      } catch (err) {
        refusal = err as Error & { code: string };
      }
    }
    expect(approved).toHaveLength(10);
    expect(refusal?.code).toBe('YEARLY_CAP_EXCEEDED');
    expect(refusal?.message).toContain('left ¥0.00');
    const { budget } = await w.rehab.plan(parentA, id);
    expect(budget).toMatchObject({ approvedTotalFen: 2_400_000, remainingFen: 0 });
  });

  it('rejects a claim only with a coded reason', async () => {
    const w = setup();
    const id = await approvedPlan(w);
    const c = await w.rehab.fileClaim(centre, id, { month: '2026-11', sessions: 12, amountFen: 100_000 });
    const bad = await rejection(
      w.rehab.decideClaim(city, id, c.claimId, { decision: 'reject', reason: 'nope' }),
    );
    expect(bad).toBeInstanceOf(ValidationError);
    const { claim } = await w.rehab.decideClaim(city, id, c.claimId, {
      decision: 'reject',
      reason: 'amount-incorrect',
    });
    expect(claim).toMatchObject({ status: 'rejected', reason: { code: 'amount-incorrect' } });
    await expect(w.rehab.decideClaim(centre, id, c.claimId, { decision: 'approve' })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('closes a month’s settlement only after the month, then refuses late approvals into it', async () => {
    const w = setup();
    const id = await approvedPlan(w);
    const c = await w.rehab.fileClaim(centre, id, { month: '2026-11', sessions: 12, amountFen: 100_000 });
    await w.rehab.decideClaim(city, id, c.claimId, { decision: 'approve' });
    expect((await rejection(w.rehab.closeSettlement(city, 'yq-rehab-center', '2026-11'))).code).toBe(
      'MONTH_NOT_ENDED',
    );
    now = new Date('2026-12-01T02:00:00Z');
    const closed = await w.rehab.closeSettlement(city, 'yq-rehab-center', '2026-11');
    expect(closed).toMatchObject({ status: 'closed', totalFen: 100_000, closedBy: city.sub });
    const paid = await w.rehab.markPaid(city, 'yq-rehab-center', '2026-11', 'FIN-2026-12-0007');
    expect(paid).toMatchObject({ status: 'paid', paymentReference: 'FIN-2026-12-0007' });
    // the institution sees its own settlement only
    expect(await w.rehab.settlements(centre, '2026-11')).toHaveLength(1);
    expect(await w.rehab.settlements(mch, '2026-11')).toHaveLength(0);
    await expect(w.rehab.settlement(mch, 'yq-rehab-center', '2026-11')).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });
});

describe('rehab change of institution and renewal', () => {
  beforeEach(() => {
    now = new Date('2026-11-25T01:00:00Z');
  });

  it('moves the plan to another institution only after a new, reviewed application; the year’s budget moves with it', async () => {
    const w = setup();
    const first = await approvedPlan(w);
    const c = await w.rehab.fileClaim(centre, first, { month: '2026-10', sessions: 12, amountFen: 200_000 });
    await w.rehab.decideClaim(city, first, c.claimId, { decision: 'approve' });

    const form = rehabForm();
    form.application = { kind: 'change-institution', aidYear: 2026, previousApplication: first };
    form.rehabilitation.institution = 'yq-mch-rehab';
    const second = await toApproval(w, form);
    await w.rehab.approve(city, second);
    await w.rehab.chooseInstitution(parentA, second, 'yq-mch-rehab');

    expect((await w.rehab.plan(parentA, first)).plan).toMatchObject({
      status: 'superseded',
      supersededBy: second,
    });
    const moved = await w.rehab.plan(parentA, second);
    expect(moved.plan).toMatchObject({
      status: 'active',
      institution: 'yq-mch-rehab',
      kind: 'change-institution',
    });
    expect(moved.budget).toMatchObject({ approvedTotalFen: 200_000 });
    const stale = await rejection(
      w.rehab.fileClaim(centre, first, { month: '2026-11', sessions: 1, amountFen: 1 }),
    );
    expect(stale.code).toBe('PLAN_NOT_ACTIVE');
    await w.rehab.fileClaim(mch, second, { month: '2026-11', sessions: 8, amountFen: 100_000 });
  });

  it('refuses a second new application’s plan for the same child and year', async () => {
    const w = setup();
    await approvedPlan(w);
    const id = await toApproval(w);
    await w.rehab.approve(city, id);
    const err = await rejection(w.rehab.chooseInstitution(parentA, id, 'yq-rehab-center'));
    expect(err).toBeInstanceOf(RehabConflictError);
    expect(err.code).toBe('PLAN_EXISTS_FOR_YEAR');
  });

  it('refuses a second open application for the same child (409), and takes one once the first is closed', async () => {
    const w = setup();
    const { view } = await w.apps.submit(parentA, { service: 'rehab-aid', form: rehabForm() });
    const before = w.repo.apps.size;
    const dup = await rejection(w.apps.submit(parentB, { service: 'rehab-aid', form: rehabForm() }));
    expect(dup).toBeInstanceOf(DuplicateApplicationError);
    expect(w.repo.apps.size).toBe(before);
    await w.apps.withdraw(parentA, view.id);
    const again = await w.apps.submit(parentA, { service: 'rehab-aid', form: rehabForm() });
    expect(again.view.status).not.toBe('rejected');
  });

  it('renews for next year through review again, with a fresh budget', async () => {
    const w = setup();
    const first = await approvedPlan(w);
    const form = rehabForm();
    form.application = { kind: 'renewal', aidYear: 2027, previousApplication: first };
    const renewal = await toApproval(w, form);
    const { standard } = await w.rehab.approve(city, renewal);
    expect(standard).toMatchObject({ standardVersion: '2027.1', year: 2027 });
    await w.rehab.chooseInstitution(parentA, renewal, 'yq-rehab-center');
    expect((await w.rehab.plan(parentA, renewal)).budget).toMatchObject({ year: 2027, approvedTotalFen: 0 });
    expect((await w.rehab.plan(parentA, first)).plan.status).toBe('active');
  });
});
