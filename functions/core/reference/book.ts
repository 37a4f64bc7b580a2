/**
 * Reference data maintained by admins, with history (issue 17): townships (populations and
 * under-3 counts by year), hospitals (助产机构), births per hospital per month, the counts of
 * children eligible for a programme per year (e.g. disabled children registered by the disabled
 * persons' federation), and the agencies that decide steps (names, duty inbox, in use or not;
 * their ids are the code's, keys of tasks and report cells, and never change here). Every change is an append-only, audited record with an effective date;
 * a figure "as of" a day is the result of applying, in order of effective date, every change
 * effective on or before that day. The constants of leqing.ts are only the seed, loaded once.
 *
 * Pure: the store (functions/adapters/dynamodb/reference-store.ts) persists the records.
 */
import * as z from 'zod';
import { codeAgencies } from '../catalog.ts';
import { email } from '../forms/fields.ts';
import { strictInt } from '../forms/strict-int.ts';
import { text } from '../forms/text.ts';
import { type I18nText, t } from '../i18n.ts';
import { cityAgencies, hospitals as seedHospitals, townships as seedTownships } from './leqing.ts';

export const referenceKinds = ['townships', 'hospitals', 'births', 'eligible', 'agencies'] as const;
export type ReferenceKind = (typeof referenceKinds)[number];

export type RefValue = string | number | boolean;
export type RefValues = Record<string, RefValue>;

/** One change of one entry: the audited event (append-only). */
export interface ReferenceChange {
  kind: ReferenceKind;
  id: string;
  /** 1, 2, 3, … per entry, without gaps (the optimistic-locking version after the change) */
  version: number;
  /** China day from which the change applies, YYYY-MM-DD */
  effectiveFrom: string;
  /** the fields changed (a patch over the earlier changes) */
  values: RefValues;
  by: string;
  at: string;
  /** why (optional free text, through the text policy) */
  note?: string | undefined;
}

export interface ReferenceEntry {
  kind: ReferenceKind;
  id: string;
  version: number;
  history: ReferenceChange[];
}

const SLUG = /^[a-z][a-z0-9-]{0,39}$/;
const MONTH = /^(20\d\d)-(0[1-9]|1[0-2])$/;

/** What the values of each kind may hold; new entries need every required field. */
const townshipValues = z.strictObject({
  nameZh: text({ min: 1, max: 30 }),
  nameEn: text({ min: 1, max: 60 }),
  kind: z.enum(['街道', '镇', '乡']),
  /** resident population (常住人口) at the end of the year */
  population: strictInt(0, 5_000_000),
  /** children under 3 at the end of the year */
  under3: strictInt(0, 500_000).optional(),
});
const hospitalValues = z.strictObject({
  nameZh: text({ min: 1, max: 40 }),
  nameEn: text({ min: 1, max: 80 }),
  township: z.string().regex(SLUG),
  /** offers maternity services (助产机构) */
  maternity: z.boolean(),
});
const birthsValues = z.strictObject({ births: strictInt(0, 100_000) });
const eligibleValues = z
  .strictObject({
    /** children eligible in the year (registered count) */
    children: strictInt(0, 1_000_000),
    /** of which aged 0–6 */
    under7: strictInt(0, 1_000_000).optional(),
  })
  .refine((v) => v.under7 === undefined || v.under7 <= v.children, {
    path: ['under7'],
    message: 'under7.tooMany',
    params: { text: t('0–6 岁人数不能多于总人数', 'Children aged 0–6 cannot outnumber all children') },
  });

const agencyValues = z.strictObject({
  nameZh: text({ min: 1, max: 60 }),
  nameEn: text({ min: 1, max: 120 }),
  /** township-level agencies see only their township's cases (the code's; not changed here) */
  level: z.enum(['city', 'township']),
  /** the agency's duty inbox (值班邮箱) */
  email: email().optional(),
  /** in use: an agency no longer in use keeps its name for the cases and reports it decided */
  active: z.boolean(),
});

export const referenceValueSchemas = {
  townships: townshipValues,
  hospitals: hospitalValues,
  births: birthsValues,
  eligible: eligibleValues,
  agencies: agencyValues,
} as const;

/** A patch of an existing entry: any subset of the fields. */
export const referencePatchSchemas = {
  townships: townshipValues.partial(),
  hospitals: hospitalValues.partial(),
  births: birthsValues.partial(),
  eligible: z.strictObject({
    children: strictInt(0, 1_000_000).optional(),
    under7: strictInt(0, 1_000_000).optional(),
  }),
  // the level decides whose queue a task is in: it stays the code's
  agencies: agencyValues.omit({ level: true }).partial(),
} as const;

/** Entry ids per kind: townships and hospitals are slugs; births `<hospital>:<yyyy-mm>`; eligible `<programme>:<yyyy>`. */
export const referenceIdPatterns: Record<ReferenceKind, RegExp> = {
  townships: SLUG,
  hospitals: SLUG,
  births: /^[a-z][a-z0-9-]{0,39}:20\d\d-(0[1-9]|1[0-2])$/,
  eligible: /^[a-z][a-z0-9-]{0,39}:20\d\d$/,
  agencies: /^[a-z][a-z0-9:-]{0,59}$/,
};

export const SEED_EFFECTIVE = '2020-01-01';
export const SEED_ACTOR = 'seed';

/** The seed: today's constants (leqing.ts), as first changes effective from 2020. */
export function seedEntries(kind: ReferenceKind): Array<{ id: string; values: RefValues }> {
  if (kind === 'townships')
    return seedTownships.map((x) => ({
      id: x.id,
      values: { nameZh: x.name['zh-CN'], nameEn: x.name.en, kind: x.kind, population: x.population },
    }));
  if (kind === 'hospitals')
    return seedHospitals.map((x) => ({
      id: x.id,
      values: { nameZh: x.name['zh-CN'], nameEn: x.name.en, township: x.township, maternity: true },
    }));
  if (kind === 'agencies')
    return seedAgencies().map((x) => ({
      id: x.id,
      values: { nameZh: x.name['zh-CN'], nameEn: x.name.en, level: x.level, active: true },
    }));
  return [];
}

/** The code's agencies: the city's and every installed module's (only the city's before any is installed). */
export function seedAgencies() {
  try {
    return codeAgencies();
  } catch {
    return cityAgencies;
  }
}

/** The values of an entry as of a day: every change effective on or before it, in order. */
export function valuesAsOf(entry: ReferenceEntry, day: string): RefValues | undefined {
  const applicable = entry.history
    .filter((c) => c.effectiveFrom <= day)
    .sort((a, b) =>
      a.effectiveFrom === b.effectiveFrom
        ? a.version - b.version
        : a.effectiveFrom < b.effectiveFrom
          ? -1
          : 1,
    );
  if (applicable.length === 0) return undefined;
  return Object.assign({}, ...applicable.map((c) => c.values)) as RefValues;
}

export interface TownshipRef {
  id: string;
  name: I18nText;
  kind: string;
  population: number;
  under3?: number | undefined;
}
export interface AgencyRef {
  id: string;
  name: I18nText;
  level: 'city' | 'township';
  email?: string | undefined;
  active: boolean;
}
export interface HospitalRef {
  id: string;
  name: I18nText;
  township: string;
  maternity: boolean;
}

const yearEnd = (year: number) => `${year}-12-31`;

/**
 * Read-only view of every reference entry, answering "as of" questions. Yearly figures
 * (populations, under-3 counts, hospitals in service) are read as of 31 December of the year.
 */
export class ReferenceBook {
  private readonly byKind: Record<ReferenceKind, Map<string, ReferenceEntry>>;

  constructor(entries: Iterable<ReferenceEntry>) {
    this.byKind = {
      townships: new Map(),
      hospitals: new Map(),
      births: new Map(),
      eligible: new Map(),
      agencies: new Map(),
    };
    for (const e of entries) this.byKind[e.kind].set(e.id, e);
  }

  entries(kind: ReferenceKind): ReferenceEntry[] {
    return [...this.byKind[kind].values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  townships(year: number): TownshipRef[] {
    return this.entries('townships').flatMap((e) => {
      const v = valuesAsOf(e, yearEnd(year));
      if (!v) return [];
      return [
        {
          id: e.id,
          name: t(String(v.nameZh), String(v.nameEn)),
          kind: String(v.kind),
          population: Number(v.population),
          under3: typeof v.under3 === 'number' ? v.under3 : undefined,
        },
      ];
    });
  }

  hospitals(year: number, opts: { maternityOnly?: boolean } = {}): HospitalRef[] {
    return this.entries('hospitals').flatMap((e) => {
      const v = valuesAsOf(e, yearEnd(year));
      if (!v) return [];
      const h = {
        id: e.id,
        name: t(String(v.nameZh), String(v.nameEn)),
        township: String(v.township),
        maternity: v.maternity === true,
      };
      return opts.maternityOnly && !h.maternity ? [] : [h];
    });
  }

  /** The agencies as of a day (YYYY-MM-DD), in use or not (old cases still name them). */
  agencies(day: string): AgencyRef[] {
    return this.entries('agencies').flatMap((e) => {
      const v = valuesAsOf(e, day);
      if (!v) return [];
      return [
        {
          id: e.id,
          name: t(String(v.nameZh), String(v.nameEn)),
          level: v.level === 'township' ? ('township' as const) : ('city' as const),
          email: typeof v.email === 'string' ? v.email : undefined,
          active: v.active !== false,
        },
      ];
    });
  }

  /** Births at a hospital in a month (YYYY-MM); undefined when not entered. */
  births(hospital: string, month: string): number | undefined {
    const e = this.byKind.births.get(`${hospital}:${month}`);
    if (!e) return undefined;
    const v = valuesAsOf(e, '9999-12-31');
    return typeof v?.births === 'number' ? v.births : undefined;
  }

  /** Births at a hospital in a year: the sum of the months entered (undefined when none is). */
  birthsInYear(hospital: string, year: number): number | undefined {
    let sum: number | undefined;
    for (let m = 1; m <= 12; m++) {
      const n = this.births(hospital, `${year}-${String(m).padStart(2, '0')}`);
      if (n !== undefined) sum = (sum ?? 0) + n;
    }
    return sum;
  }

  /** The eligible-children count of a programme in a year. */
  eligible(programme: string, year: number): { children: number; under7?: number | undefined } | undefined {
    const e = this.byKind.eligible.get(`${programme}:${year}`);
    if (!e) return undefined;
    const v = valuesAsOf(e, '9999-12-31');
    if (typeof v?.children !== 'number') return undefined;
    return { children: v.children, under7: typeof v.under7 === 'number' ? v.under7 : undefined };
  }
}

/** The effective date of a births entry is its month's first day; of an eligible count, 1 January. */
export function defaultEffectiveFrom(kind: ReferenceKind, id: string): string | undefined {
  if (kind === 'births') {
    const month = id.split(':')[1] ?? '';
    return MONTH.test(month) ? `${month}-01` : undefined;
  }
  if (kind === 'eligible') return `${id.split(':')[1]}-01-01`;
  return undefined;
}
