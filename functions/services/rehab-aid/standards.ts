/**
 * Yearly aid standards (救助标准): per category and age band, a monthly and a yearly cap. The
 * seed holds version 1 of each year; an admin publishes version n+1 through the API and the
 * table keeps every version, so an approval that records `<year>.<version>` can always be traced
 * to the amounts it applied.
 */
import * as z from 'zod';
import { RehabConflictError } from '#services/rehab-aid/errors';
import {
  type AgeBand,
  type AidStandard,
  ageBands,
  type CapPair,
  type DisabilityCategory,
  disabilityCategories,
  type ItemCaps,
  type OneOffItem,
  oneOffItems,
  type StandardAmounts,
  seedItemCaps,
  seedStandards,
} from '#services/rehab-aid/reference';
import { t } from '../../core/i18n.ts';

export const seedStandard = (year: number): AidStandard | undefined =>
  seedStandards.find((s) => s.year === year);

export const standardId = (year: number, version: number) => `${year}.${version}`;

export function parseStandardId(id: string): { year: number; version: number } | undefined {
  const m = /^(\d{4})\.(\d{1,4})$/.exec(id);
  return m ? { year: Number(m[1]), version: Number(m[2]) } : undefined;
}

export function capsFor(standard: AidStandard, category: DisabilityCategory, band: AgeBand): CapPair {
  return standard.amounts[category][band];
}

/** At most ¥100,000 a year per child; the monthly cap never above the yearly one. */
const MAX_YEARLY_FEN = 100_000 * 100;

const capPair = z
  .strictObject({
    monthlyCapFen: z.number().int().min(100).max(MAX_YEARLY_FEN),
    yearlyCapFen: z.number().int().min(100).max(MAX_YEARLY_FEN),
  })
  .refine((c) => c.monthlyCapFen <= c.yearlyCapFen, {
    message: 'monthly cap above the yearly cap',
    path: ['monthlyCapFen'],
  });

const bands = z.strictObject(
  Object.fromEntries(ageBands.map((b) => [b, capPair])) as Record<AgeBand, typeof capPair>,
);

/** Every category and band must be given: a standard is published whole. */
export const standardAmounts = z.strictObject(
  Object.fromEntries(disabilityCategories.map((c) => [c, bands])) as Record<DisabilityCategory, typeof bands>,
) as unknown as z.ZodType<StandardAmounts>;

/** Every item's cap, ¥1 to ¥100,000: published whole, like the amounts. */
export const standardItems = z.strictObject(
  Object.fromEntries(oneOffItems.map((i) => [i, z.number().int().min(100).max(MAX_YEARLY_FEN)])) as Record<
    OneOffItem,
    z.ZodNumber
  >,
) as unknown as z.ZodType<ItemCaps>;

/** The items' caps of a standard (one stored before items existed applies the seed's). */
export const itemCapsOf = (standard: AidStandard): ItemCaps => standard.items ?? seedItemCaps;

export function assertCapsMatch(
  standard: AidStandard,
  category: DisabilityCategory,
  band: AgeBand,
  caps: CapPair,
) {
  const expected = capsFor(standard, category, band);
  if (expected.monthlyCapFen !== caps.monthlyCapFen || expected.yearlyCapFen !== caps.yearlyCapFen) {
    throw new RehabConflictError(
      'STANDARD_MISMATCH',
      t(
        `审批记录的救助上限与救助标准 ${standard.id} 不符，请联系市残联`,
        `The approved caps do not match aid standard ${standard.id}; contact the city DPF`,
      ),
    );
  }
}
