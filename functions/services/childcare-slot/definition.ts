/**
 * 托位登记: a place for a child under 3 at a registered nursery. `allocate` (auto) offers a place
 * of one of up to three preferred intakes at once, or waits on their waitlists / the term's
 * round; `offer` (the parent accepts or declines within 7 working days); `enrolment` (the
 * nursery's staff confirm, queue `nursery:<id>`). One open registration or held place per child.
 */
import * as z from 'zod';
import { type ChildcareForm, childcareForm } from '#services/childcare-slot/form';
import { allocate, checkEligibility, planRound, preferencePools } from '#services/childcare-slot/rules';
import { defineService } from '../../core/engine/define-service.ts';
import { type Application, type FormData, TERMINAL } from '../../core/engine/types.ts';
import { isoDate } from '../../core/forms/fields.ts';
import { t } from '../../core/i18n.ts';

export const OFFER_DEADLINE_WORKING_DAYS = 7;
/** Nursery staff act in the queue of their nursery: agency claim `nursery:<nursery id>`. */
export const nurseryAgency = (nurseryId: string) => `nursery:${nurseryId}`;

/** A stored application's form (applications hold forms of any service). */
const _f = (form: FormData) => form as ChildcareForm;

export const childcareSlot = defineService({
  id: 'childcare-slot',
  title: t('托位登记', 'Childcare place registration'),
  description: t(
    '为 3 岁以下婴幼儿登记托育机构托位：最多填报 3 个志愿，获得录取后在线确认，暂无名额时自动进入候补。',
    'Register a child under 3 for a place at a registered nursery: up to 3 preferences, accept the offer online, or wait on the waitlist when no place is free.',
  ),
  form: childcareForm,
  sla: { workingDays: 20 },
  sensitivePaths: ['child.idNumber', 'guardians.first.idNumber', 'guardians.second.idNumber'],
  // One open registration or held place per child, found by the blind index of the ID number.
  unique: {
    paths: ['child.idNumber'],
    heldWhile: (app: Application) => !TERMINAL.has(app.status) || app.status === 'completed',
  },
  contactEmail: (form) => form.contact.email,
  contactPhone: (form) => form.guardians.first.phone,
  guardianPhones: (form) => (form.guardians.second ? [form.guardians.second.phone] : []),
  notifyChannels: (form) => form.contact.channels,
  township: (form) => form.residence.township,
  label: (form) => `${form.child.name} · 托位 ${form.term}`,
  pools: preferencePools,
  poolAgency: nurseryAgency,
  check: checkEligibility,
  round: { plan: planRound },
  steps: {
    allocate: { kind: 'auto', title: t('分配托位', 'Place allocation'), run: allocate },
    offer: {
      kind: 'applicant',
      title: t('确认托位', 'Accept the offered place'),
      needs: ['allocate'],
      deadline: { workingDays: OFFER_DEADLINE_WORKING_DAYS },
    },
    enrolment: {
      kind: 'human',
      title: t('入托确认', 'Enrolment'),
      agency: 'nursery',
      agencyOf: (app) => {
        const id = app.steps.allocate?.outputs?.nurseryId;
        return typeof id === 'string' ? nurseryAgency(id) : undefined;
      },
      needs: ['offer'],
      sla: { workingDays: 5 },
      outputs: z.strictObject({ startDate: isoDate().optional() }),
      rejectReasons: {
        'documents-missing': t('未提供登记所需材料', 'The required documents were not provided'),
        'priority-unproven': t('优先条件无法证明', 'A priority claim could not be proven'),
        'health-check': t('未通过入托体检', 'The admission health check was not passed'),
        'no-show': t('未按时报到', 'Did not attend enrolment'),
      },
    },
  },
});
