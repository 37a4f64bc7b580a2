/**
 * Reports for auditors and admins: processing times, SLA, throughput per day and open cases by
 * age, each as JSON or CSV (`format=csv`). Aggregates only, never personal data; answered from
 * the daily statistics cells (Query only) or, for open cases, the status index.
 */

import * as z from 'zod';
import { AnalyticsReports } from '#core/reports/analytics-reports';
import '#services/registry';
import { indicatorsReport, yearlyCsv, yearlyReport } from '#core/indicators/report';
import { openCasesCsv } from '#core/reports/open-cases';
import { processingTimesCsv } from '#core/reports/processing-times';
import { slaCsv } from '#core/reports/sla-breaches';
import { throughputCsv } from '#core/reports/throughput';
import { clock } from '#shared/clock';
import { httpModule, type Reply, route } from '#shared/http';
import { indicatorSources, referenceBook } from '#shared/indicator-wiring';
import { statsStore } from '#shared/stats-wiring';
import {
  analyticsQuery,
  i18nText,
  indicatorsQuery,
  openCasesQuery,
  opt,
  throughputQuery,
  yearlyQuery,
} from './schemas.ts';

let reports: AnalyticsReports | undefined;
function getReports() {
  if (!reports) {
    const stats = statsStore();
    reports = new AnalyticsReports({ stats, openCases: stats, clock });
  }
  return reports;
}

const roles: Array<'auditor' | 'admin'> = ['auditor', 'admin'];

function reply<R>(format: 'json' | 'csv', name: string, report: R, csv: (r: R) => string): Reply<R> {
  if (format !== 'csv') return { body: report };
  return {
    raw: { contentType: 'text/csv; charset=utf-8', text: csv(report) },
    headers: { 'content-disposition': `attachment; filename="${name}.csv"` },
  };
}

/** Processing times also group by period (trend charts). */
const processingTimesQuery = analyticsQuery.extend({
  groupBy: z.enum(['step', 'agency', 'township', 'day', 'week', 'month']).default('step'),
});

/* Reports (aggregates only). Durations in seconds. */
const quantiles = {
  count: z.number(),
  p50: z.number(),
  p90: z.number(),
  p95: z.number(),
  p99: z.number(),
  mean: z.number().nullable(),
};
const durationSummary = z.object(quantiles).meta({ id: 'DurationSummary' });
const processingTimeRow = z
  .object({
    step: z.string(),
    ...quantiles,
    withinSlaRate: z.number().nullable(),
    wait: durationSummary,
    work: durationSummary,
    paused: durationSummary,
    decided: z.number(),
    approved: z.number(),
    rejects: z.number(),
    requestInfo: z.number(),
    firstTimeRightRate: z.number().nullable(),
    slaBreaches: z.number(),
    agency: opt(z.string()),
    township: opt(z.string()),
    period: opt(z.string()),
  })
  .meta({ id: 'ProcessingTimeRow' });
const reportFilters = z.object({ agency: opt(z.string()), township: opt(z.string()) });
const processingTimesReply = z.object({
  service: z.string(),
  from: z.string(),
  to: z.string(),
  unit: z.literal('seconds'),
  groupBy: z.enum(['step', 'agency', 'township', 'day', 'week', 'month']),
  filters: reportFilters,
  steps: z.array(processingTimeRow),
  overall: processingTimeRow.extend({
    cases: z.object({
      submitted: z.number(),
      settled: z.number(),
      completed: z.number(),
      partiallyCompleted: z.number(),
      rejected: z.number(),
      withdrawn: z.number(),
      resubmitted: z.number(),
    }),
  }),
  groups: opt(z.array(processingTimeRow)),
});
const slaRow = z
  .object({
    step: z.string(),
    agency: opt(z.string()),
    township: opt(z.string()),
    decided: z.number(),
    withinSla: z.number(),
    late: z.number(),
    withinSlaRate: z.number().nullable(),
    breaches: z.number(),
  })
  .meta({ id: 'SlaRow' });
const slaReply = z.object({
  service: z.string(),
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(['step', 'agency', 'township']),
  filters: reportFilters,
  steps: z.array(slaRow),
  overall: slaRow,
  days: z.array(
    z.object({ day: z.string(), breaches: z.number(), lateDecisions: z.number(), lateCases: z.number() }),
  ),
  groups: opt(z.array(slaRow)),
});
const throughputFigures = {
  submitted: z.number(),
  settled: z.number(),
  completed: z.number(),
  partiallyCompleted: z.number(),
  rejected: z.number(),
  withdrawn: z.number(),
  decisions: z.number(),
  infoRequests: z.number(),
  byStep: z.record(z.string(), z.number()),
};
const throughputReply = z.object({
  service: z.string(),
  from: z.string(),
  to: z.string(),
  filters: z.object({ township: opt(z.string()) }),
  steps: z.array(z.string()),
  days: z.array(z.object({ day: z.string(), ...throughputFigures })),
  totals: z.object(throughputFigures),
});
const ageRow = z
  .object({
    kind: z.enum(['case', 'step', 'township']),
    key: z.string(),
    agency: opt(z.string()),
    open: z.number(),
    overdue: z.number(),
    byAge: z.array(z.number()),
  })
  .meta({ id: 'AgeRow' });
const openCasesReply = z.object({
  service: z.string(),
  asOf: z.string(),
  filters: z.object({ township: opt(z.string()) }),
  buckets: z
    .array(z.object({ label: z.string(), minDays: z.number(), maxDays: z.number().nullable() }))
    .readonly(),
  total: z.number(),
  overdue: z.number(),
  cases: z.array(ageRow),
  steps: z.array(ageRow),
  townships: opt(z.array(ageRow)),
});

const assessment = z.enum(['met', 'near', 'behind', 'no-data']);
const unit = z.enum(['per1000', 'percent']);
const indicatorResult = z
  .object({
    id: z.string(),
    title: i18nText,
    definition: i18nText,
    numerator: i18nText,
    denominator: i18nText,
    unit,
    baseline: z.object({ year: z.literal(2020), value: z.number().nullable(), note: opt(i18nText) }),
    target: z.object({
      year: z.literal(2025),
      value: z.number(),
      comparator: z.enum(['>=', '>', '<=', '<']),
      note: opt(i18nText),
    }),
    services: z.array(z.string()),
    dataSource: i18nText,
    year: z.number().int(),
    figures: z.object({ numerator: z.number(), denominator: z.number().nullable() }),
    value: z.number().nullable(),
    assessment,
    dimension: opt(z.enum(['township', 'hospital', 'service'])),
    rows: z.array(
      z.object({
        key: z.string(),
        name: opt(i18nText),
        numerator: z.number(),
        denominator: z.number().nullable(),
        value: z.number().nullable(),
        assessment,
      }),
    ),
    trend: z.array(z.object({ year: z.number().int(), value: z.number().nullable(), assessment })),
  })
  .meta({ id: 'IndicatorResult' });
const indicatorsReply = z.object({
  year: z.number().int(),
  generatedAt: z.string(),
  indicators: z.array(indicatorResult),
});
const yearlyReply = indicatorsReply.extend({
  title: i18nText,
  summary: z.object({ met: z.number(), near: z.number(), behind: z.number(), noData: z.number() }),
  tables: z.array(
    z.object({
      dimension: z.enum(['township', 'hospital']),
      columns: z.array(z.object({ indicator: z.string(), title: i18nText, unit })),
      rows: z.array(
        z.object({
          key: z.string(),
          name: i18nText,
          reference: z.record(z.string(), z.number().nullable()),
          values: z.array(
            z.object({
              value: z.number().nullable(),
              numerator: z.number(),
              denominator: z.number().nullable(),
            }),
          ),
        }),
      ),
    }),
  ),
  notes: z.array(z.object({ indicator: z.string(), title: i18nText, dataSource: i18nText })),
  general: z.array(i18nText),
});

async function board(year: number) {
  const [sources, reference] = await Promise.all([indicatorSources(), referenceBook()]);
  return { board: await indicatorsReport(sources, reference, year, clock.now()), reference };
}

export const handler = httpModule({
  'GET /reports/indicators': route({
    roles,
    query: indicatorsQuery,
    response: indicatorsReply,
    run: async ({ query }) => ({ body: (await board(query.year)).board }),
  }),
  'GET /reports/yearly': route({
    roles,
    query: yearlyQuery,
    response: yearlyReply,
    run: async ({ query }) => {
      const { board: b, reference } = await board(query.year);
      return reply(query.format, `monitoring-report-${query.year}`, yearlyReport(b, reference), yearlyCsv);
    },
  }),
  'GET /reports/processing-times': route({
    roles,
    query: processingTimesQuery,
    response: processingTimesReply,
    run: async ({ actor, query }) =>
      reply(
        query.format,
        `processing-times-${query.service}-${query.from}-${query.to}`,
        await getReports().processingTimes(actor, query),
        processingTimesCsv,
      ),
  }),
  'GET /reports/sla-breaches': route({
    roles,
    query: analyticsQuery,
    response: slaReply,
    run: async ({ actor, query }) =>
      reply(
        query.format,
        `sla-breaches-${query.service}-${query.from}-${query.to}`,
        await getReports().slaBreaches(actor, query),
        slaCsv,
      ),
  }),
  'GET /reports/throughput': route({
    roles,
    query: throughputQuery,
    response: throughputReply,
    run: async ({ actor, query }) =>
      reply(
        query.format,
        `throughput-${query.service}-${query.from}-${query.to}`,
        await getReports().throughput(actor, query),
        throughputCsv,
      ),
  }),
  'GET /reports/open-cases': route({
    roles,
    query: openCasesQuery,
    response: openCasesReply,
    run: async ({ actor, query }) =>
      reply(
        query.format,
        `open-cases-${query.service}`,
        await getReports().openCases(actor, query),
        openCasesCsv,
      ),
  }),
});
