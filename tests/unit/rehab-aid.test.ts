import { beforeEach, describe, expect, it } from 'vitest';
import { ApplicationService } from '#core/application-service';
import { WorkingCalendar } from '#core/calendar';
import type { Actor } from '#core/engine/types';
import { NotFoundError, ValidationError } from '#core/errors';
import { makeIdNumber } from '#core/id-number';
import { ageBandFor, chinaYear, maskName } from '#services/rehab-aid/eligibility';
import { cw, parentA, parentB } from '../support/actors.ts';
import { fixtureForm } from '../support/forms.ts';
import { MemoryRepository } from '../support/memory-repo.ts';

// Wednesday 2026-11-25 09:00 China time.
let now = new Date('2026-11-25T01:00:00Z');
let seq = 0;

const townshipLiushi = cw('dpf-township', 'liushi');
const townshipLecheng = cw('dpf-township', 'lecheng');
const city = cw('dpf-city');
const centre: Actor = {
  sub: 'cw-rehab-center',
  role: 'caseworker',
  agency: 'rehab-institution:yq-rehab-center',
};
const otherInstitution: Actor = {
  sub: 'cw-rehab-liushi',
  role: 'caseworker',
  agency: 'rehab-institution:liushi-xingyu',
};

/** The fixture with the aid year moved to the current (China) year. */
function rehabForm(at = now): Record<string, any> {
  const form = fixtureForm('rehab-aid', { sameChild: true });
  form.application.aidYear = chinaYear(at);
  return form;
}

function setup() {
  const repo = new MemoryRepository();
  const service = new ApplicationService(repo, {
    clock: { now: () => now },
    ids: { newId: () => `01J${String(++seq).padStart(23, '0')}` },
    calendar: new WorkingCalendar(),
  });
  return { repo, service };
}

const stepStatus = (view: { steps: Array<{ step: string; status: string }> }) =>
  Object.fromEntries(view.steps.map((s) => [s.step, s.status]));

async function fieldErrors(promise: Promise<unknown>) {
  const err = await promise.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ValidationError);
  return (err as ValidationError).fields;
}

describe('rehab-aid form and eligibility', () => {
  beforeEach(() => {
    now = new Date('2026-11-25T01:00:00Z');
  });

  it('accepts the fixture, flags a 4-year-old as priority and opens the township review', async () => {
    const { service } = setup();
    const { view } = await service.submit(parentA, { service: 'rehab-aid', form: rehabForm() });
    expect(view.status).toBe('in-progress');
    expect(stepStatus(view)).toMatchObject({
      precheck: 'done',
      'township-review': 'open',
      'city-review': 'pending',
      assessment: 'pending',
      approval: 'pending',
    });
    expect(view.steps.find((s) => s.step === 'precheck')?.outputs).toEqual({
      ageYears: 4,
      ageBand: '0-6',
      priority: true,
      aidYear: 2026,
    });
    // lists and e-mails name the child masked, never the ID number
    expect(view.label).toBe('陈*乐 · 康复救助（听力） · 抢救性康复');
    expect(view.form.child).toMatchObject({ idNumber: '3303**********1230' });
    expect(view.form.guardian).toMatchObject({ idNumber: '3303**********0425' });
    expect(view.form.disability).toMatchObject({ certificateNumber: '3303************3022' });
  });

  it('fixes the age band by the age on 1 January of the aid year', () => {
    expect(ageBandFor('2019-06-01', 2026)).toEqual({ age: 6, band: '0-6' });
    expect(ageBandFor('2019-01-01', 2026)).toEqual({ age: 7, band: '7-17' });
    expect(ageBandFor('2026-03-01', 2026)).toEqual({ age: 0, band: '0-6' });
    expect(maskName('王小明')).toBe('王*明');
    expect(maskName('欧阳小明')).toBe('欧**明');
  });

  const bad: Array<[string, (f: Record<string, any>) => void, string, string]> = [
    [
      'a child ID number with a wrong check digit',
      (f) => {
        f.child.idNumber = '330382202205141231';
      },
      'form.child.idNumber',
      'id.checksum',
    ],
    [
      'a birth date that differs from the ID number',
      (f) => {
        f.child.birthDate = '2022-05-15';
      },
      'form.child.birthDate',
      'rehab.birthDateMismatch',
    ],
    [
      'a certificate number of another category',
      (f) => {
        f.disability.certificateNumber = '33038220220514123042';
      },
      'form.disability.certificateNumber',
      'rehab.certificateMismatch',
    ],
    [
      'no certificate and no diagnosis',
      (f) => {
        f.disability = { category: 'autism', certified: false };
      },
      'form.disability.diagnosis',
      'rehab.diagnosisRequired',
    ],
    [
      'an unknown institution',
      (f) => {
        f.rehabilitation.institution = 'somewhere-else';
      },
      'form.rehabilitation.institution',
      'rehab.institutionUnknown',
    ],
    [
      'a township outside the city',
      (f) => {
        f.child.township = 'hangzhou';
      },
      'form.child.township',
      'township.unknown',
    ],
    [
      'a residence permit without its expiry date',
      (f) => {
        f.child.residence = 'residence-permit';
      },
      'form.child.residencePermitExpiry',
      'rehab.permitExpiryRequired',
    ],
    [
      'an unknown category',
      (f) => {
        f.disability.category = 'mental';
      },
      'form.disability.category',
      'invalid_value',
    ],
    [
      'a renewal without the previous application',
      (f) => {
        f.application.kind = 'renewal';
      },
      'form.application.previousApplication',
      'rehab.previousRequired',
    ],
    [
      'the guardian’s ID equal to the child’s',
      (f) => {
        f.guardian.idNumber = f.child.idNumber;
      },
      'form.guardian.idNumber',
      'rehab.guardianIsChild',
    ],
  ];
  for (const [name, change, path, code] of bad) {
    it(`refuses ${name} with a field error in zh-CN and en, storing nothing`, async () => {
      const { service, repo } = setup();
      const form = rehabForm();
      change(form);
      const fields = await fieldErrors(service.submit(parentA, { service: 'rehab-aid', form }));
      const hit = fields.find((f) => f.path === path);
      expect(hit, JSON.stringify(fields)).toBeTruthy();
      expect(hit?.code).toBe(code);
      expect(hit?.message['zh-CN']).not.toBe('');
      expect(hit?.message.en).not.toBe('');
      expect(repo.apps.size).toBe(0);
    });
  }

  it('accepts a diagnosis from a recognised hospital instead of a certificate', async () => {
    const { service } = setup();
    const form = rehabForm();
    form.disability = {
      category: 'autism',
      certified: false,
      diagnosis: { hospital: 'wz-yuying', date: '2026-09-02', summary: '孤独症谱系障碍 ASD' },
    };
    const { view } = await service.submit(parentA, { service: 'rehab-aid', form });
    expect(stepStatus(view)['township-review']).toBe('open');
  });

  it('accepts a child living in the city on a 居住证 (household registered elsewhere), and refuses an expired permit', async () => {
    const { service } = setup();
    const migrant = (expiry: string, seq: string) => {
      const form = rehabForm();
      // registered in 合肥 (Anhui), living in 柳市 with a residence permit
      const id = makeIdNumber('340104', form.child.birthDate, seq);
      form.child.idNumber = id;
      form.disability.certificateNumber = `${id}22`;
      form.child.residence = 'residence-permit';
      form.child.residencePermitExpiry = expiry;
      return form;
    };
    const ok = await service.submit(parentA, { service: 'rehab-aid', form: migrant('2028-06-30', '457') });
    expect(stepStatus(ok.view)['township-review']).toBe('open');
    const expired = await service.submit(parentB, {
      service: 'rehab-aid',
      form: migrant('2026-01-31', '477'),
    });
    expect(expired.view.status).toBe('rejected');
    expect(JSON.stringify(expired.view.steps.find((s: any) => s.step === 'precheck'))).toContain(
      'The residence permit has expired',
    );
  });

  it('rejects an 18-year-old automatically with a coded reason', async () => {
    const { service } = setup();
    const form = rehabForm();
    const id = makeIdNumber('330382', '2008-03-01', '111');
    form.child.idNumber = id;
    form.child.birthDate = '2008-03-01';
    form.disability.certificateNumber = `${id}22`;
    const { view } = await service.submit(parentA, { service: 'rehab-aid', form });
    expect(view.status).toBe('rejected');
    expect(view.steps.find((s) => s.step === 'precheck')?.reason).toMatchObject({ code: 'not-eligible' });
    expect(stepStatus(view)['township-review']).toBe('skipped');
  });

  it('refuses an institution that does not serve the category with a field error, storing nothing', async () => {
    const { service, repo } = setup();
    const form = rehabForm();
    form.rehabilitation.institution = 'yq-people-low-vision';
    const fields = await fieldErrors(service.submit(parentA, { service: 'rehab-aid', form }));
    expect(fields).toEqual([
      expect.objectContaining({
        path: 'form.rehabilitation.institution',
        code: 'rehab.institutionDoesNotServe',
      }),
    ]);
    expect(fields[0]?.message['zh-CN']).toContain('乐清市人民医院低视力康复门诊不提供 4 岁儿童的听力康复');
    expect(repo.apps.size).toBe(0);
  });

  it('checks the institution as admins maintain it: suspended is refused, a new one is accepted', async () => {
    const { service, repo } = setup();
    const record = (id: string, over: Record<string, unknown>) => ({
      orgType: 'rehab-institution',
      institution: {
        id,
        name: { 'zh-CN': '柳市镇康复中心', en: 'Liushi Rehabilitation Centre' },
        township: 'liushi',
        categories: ['hearing', 'speech'],
        ages: [0, 17],
        status: 'active',
        effectiveFrom: '2026-01-01',
        version: 1,
        updatedAt: '2026-01-01T00:00:00.000Z',
        updatedBy: 'admin',
        ...over,
      },
    });
    repo.orgRecords.set(
      'yq-rehab-center',
      record('yq-rehab-center', { status: 'suspended', suspendedReason: '整改' }),
    );
    repo.orgRecords.set('liushi-new', record('liushi-new', {}));
    repo.orgRecords.set('future-centre', record('future-centre', { effectiveFrom: '2027-01-01' }));
    const suspended = await fieldErrors(service.submit(parentA, { service: 'rehab-aid', form: rehabForm() }));
    expect(suspended[0]).toMatchObject({ code: 'rehab.institutionUnavailable' });
    const notYet = rehabForm();
    notYet.rehabilitation.institution = 'future-centre';
    expect(
      (await fieldErrors(service.submit(parentA, { service: 'rehab-aid', form: notYet })))[0],
    ).toMatchObject({
      code: 'rehab.institutionUnavailable',
    });
    expect(repo.apps.size).toBe(0);
    const form = rehabForm();
    form.rehabilitation.institution = 'liushi-new';
    const { view } = await service.submit(parentA, { service: 'rehab-aid', form });
    expect(stepStatus(view)['township-review']).toBe('open');
  });
});

describe('rehab-aid review chain', () => {
  beforeEach(() => {
    now = new Date('2026-11-25T01:00:00Z');
  });

  it('keeps the case to the child’s township: another township can neither see nor decide it', async () => {
    const { service } = setup();
    const { view } = await service.submit(parentA, { service: 'rehab-aid', form: rehabForm() });
    expect((await service.queue(townshipLiushi, { status: 'open' })).map((t) => t.appId)).toContain(view.id);
    expect((await service.queue(townshipLecheng, { status: 'open' })).map((t) => t.appId)).not.toContain(
      view.id,
    );
    await expect(service.get(townshipLecheng, view.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      service.decide(townshipLecheng, view.id, 'township-review', {
        decision: 'approve',
        outputs: { familySituation: 'dibao' },
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.claim(townshipLecheng, view.id, 'township-review')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('goes township → city → the chosen institution’s assessment, which no other institution can decide', async () => {
    const { service } = setup();
    const { view } = await service.submit(parentA, { service: 'rehab-aid', form: rehabForm() });
    await service.decide(townshipLiushi, view.id, 'township-review', {
      decision: 'approve',
      outputs: { familySituation: 'dibao' },
    });
    const afterCity = await service.decide(city, view.id, 'city-review', { decision: 'approve' });
    const assessment = afterCity.steps.find((s) => s.step === 'assessment');
    expect(assessment).toMatchObject({ status: 'open', agency: 'rehab-institution:yq-rehab-center' });
    expect((await service.queue(centre, { status: 'open' })).map((t) => t.appId)).toContain(view.id);
    expect((await service.queue(otherInstitution, { status: 'open' })).map((t) => t.appId)).not.toContain(
      view.id,
    );
    await expect(
      service.decide(otherInstitution, view.id, 'assessment', {
        decision: 'approve',
        outputs: { assessedLevel: 'moderate', sessionsPerMonth: 12, plan: '言语训练每周三次' },
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const assessed = await service.decide(centre, view.id, 'assessment', {
      decision: 'approve',
      outputs: { assessedLevel: 'moderate', sessionsPerMonth: 12, plan: '言语训练每周三次' },
    });
    expect(stepStatus(assessed).approval).toBe('open');
  });

  it('lets each level reject with a coded reason only', async () => {
    const { service } = setup();
    const { view } = await service.submit(parentA, { service: 'rehab-aid', form: rehabForm() });
    const fields = await fieldErrors(
      service.decide(townshipLiushi, view.id, 'township-review', { decision: 'reject', reason: 'bad' }),
    );
    expect(fields[0]?.path).toBe('reason');
    const rejected = await service.decide(townshipLiushi, view.id, 'township-review', {
      decision: 'reject',
      reason: 'not-resident',
    });
    expect(rejected.status).toBe('rejected');
    expect(stepStatus(rejected)).toMatchObject({ 'city-review': 'skipped', approval: 'skipped' });
  });

  it('pauses the clock while the family is asked for more documents, then continues', async () => {
    const { service } = setup();
    const { view } = await service.submit(parentA, { service: 'rehab-aid', form: rehabForm() });
    await service.decide(townshipLiushi, view.id, 'township-review', {
      decision: 'approve',
      outputs: { familySituation: 'dibao' },
    });
    const before = (await service.get(city, view.id)).steps.find((s) => s.step === 'city-review')?.dueAt;
    const asked = await service.decide(city, view.id, 'city-review', {
      decision: 'request-info',
      fields: ['disability'],
      note: '请上传残疾人证内页 / upload the inner pages of the certificate',
    });
    expect(asked.status).toBe('info-requested');
    now = new Date(now.getTime() + 2 * 86_400_000);
    const back = await service.resubmit(parentA, view.id, rehabForm());
    expect(back.status).toBe('in-progress');
    const after = back.steps.find((s) => s.step === 'city-review')?.dueAt;
    expect(Date.parse(after ?? '') - Date.parse(before ?? '')).toBe(2 * 86_400_000);
  });
});
