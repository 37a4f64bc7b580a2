/**
 * The indicator sources of the installed modules (`functions/services/<id>/indicators.ts`,
 * ServiceModule.indicators; the template import lets the bundler include each module's file in
 * the reports function only), the kernel's processing-within-SLA from the statistics cells and its
 * 好差评 satisfaction from the ratings, and
 * the reference book from the admin-maintained reference data.
 */

import { DynamoRatingStore } from '#adapters/dynamodb/rating-store';
import { DynamoReferenceStore } from '#adapters/dynamodb/reference-store';
import { ALL_TOWNSHIPS, CASE_STEP } from '#core/analytics/cells';
import { installedModules } from '#core/catalog';
import type { ModuleIndicators } from '#core/indicators/catalogue';
import type { IndicatorSource } from '#core/indicators/report';
import { ratingSatisfaction, type SatisfactionFacts } from '#core/indicators/satisfaction';
import { processingWithinSla, type SlaFacts } from '#core/indicators/sla';
import { ReferenceBook } from '#core/reference/book';
import { clock } from './clock.ts';
import { statsStore } from './stats-wiring.ts';
import { table } from './table.ts';

let sources: Promise<IndicatorSource[]> | undefined;

async function load(): Promise<IndicatorSource[]> {
  const out: IndicatorSource[] = [];
  for (const m of installedModules()) {
    if (!m.indicators) continue;
    const id = m.definition.id;
    const mod = (await import(/* @vite-ignore */ `../services/${id}/indicators.ts`)) as {
      indicators: ModuleIndicators;
    };
    for (const definition of mod.indicators.definitions) {
      out.push({ sourceId: id, definition, loadFacts: (y) => mod.indicators.loadFacts(y) });
    }
  }
  const services = installedModules().map((m) => m.definition);
  out.push({
    sourceId: 'sla',
    definition: processingWithinSla as IndicatorSource['definition'],
    loadFacts: async (year): Promise<SlaFacts> => ({
      services: await Promise.all(
        services.map(async (svc) => {
          const cells = await statsStore().readCells({
            service: svc.id,
            from: `${year}-01-01`,
            to: `${year}-12-31`,
            countersOnly: true,
            // a calendar year: twelve month rollup cells per step, no daily cell
            months: true,
          });
          let slaKnown = 0;
          let withinSla = 0;
          for (const c of cells) {
            if (c.step !== CASE_STEP || c.township !== ALL_TOWNSHIPS) continue;
            slaKnown += c.stats.counters.slaKnown ?? 0;
            withinSla += c.stats.counters.withinSla ?? 0;
          }
          return { service: svc.id, title: svc.title, slaKnown, withinSla };
        }),
      ),
    }),
  });
  out.push({
    sourceId: 'ratings',
    definition: ratingSatisfaction as IndicatorSource['definition'],
    loadFacts: async (year): Promise<SatisfactionFacts> => ({
      ratings: await new DynamoRatingStore(table().doc, table().tableName).listRatings(year),
      titles: Object.fromEntries(services.map((s) => [s.id, s.title])),
    }),
  });
  return out;
}

export function indicatorSources(): Promise<IndicatorSource[]> {
  sources ??= load();
  return sources;
}

let store: DynamoReferenceStore | undefined;

export async function referenceBook(): Promise<ReferenceBook> {
  store ??= new DynamoReferenceStore(table().doc, table().tableName, () => clock.now());
  return new ReferenceBook(await store.listAll({ readOnly: true }));
}
