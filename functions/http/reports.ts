/**
 * Reports for auditors and admins: processing times, SLA, throughput per day and open cases by
 * age, each as JSON or CSV (`format=csv`). Aggregates only, never personal data; answered from
 * the daily statistics cells (Query only) or, for open cases, the status index.
 */

import * as z from 'zod';
import { makeDocumentClient } from '#adapters/dynamodb/client';
import { DynamoStatsStore } from '#adapters/dynamodb/stats-repository';
import { AnalyticsReports } from '#core/reports/analytics-reports';
import { openCasesCsv } from '#core/reports/open-cases';
import { processingTimesCsv } from '#core/reports/processing-times';
import { slaCsv } from '#core/reports/sla-breaches';
import { throughputCsv } from '#core/reports/throughput';
import { clock } from '#shared/clock';
import { requireEnv } from '#shared/env';
import { httpModule, type Reply, route } from '#shared/http';
import {
  analyticsQuery,
  openCasesQuery,
  openCasesReply,
  processingTimesReply,
  slaReply,
  throughputQuery,
  throughputReply,
} from './schemas.ts';

let reports: AnalyticsReports | undefined;
function getReports() {
  if (!reports) {
    const store = new DynamoStatsStore(makeDocumentClient(), requireEnv('TABLE_NAME'));
    reports = new AnalyticsReports({ stats: store, openCases: store, clock });
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
  groupBy: z.enum(['step', 'agency', 'township', 'day', 'week']).default('step'),
});

export const handler = httpModule({
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
