/**
 * 好差评 over HTTP (the use cases are core/ratings.ts): the family rates an ended case once; the
 * citizen service centre works the follow-ups of 差评 (call back, resolve); auditors read the
 * counts per service, agency and township as JSON or CSV.
 */
import * as z from 'zod';
import { DynamoRatingStore } from '#adapters/dynamodb/rating-store';
import { text } from '#core/forms/text';
import { type RatingReport, RatingService, ratingLabels, ratingScores } from '#core/ratings';
import { toCsv } from '#core/reports/csv';
import { httpModule, type Reply, route } from '#shared/http';
import { clock, wiring } from '#shared/wiring';
import { emptyObject, idParam, opt } from './schemas.ts';
// every service module (this function serves them all)
import '#services/registry';

let ratings: RatingService | undefined;
const service = async () => {
  const w = wiring();
  await w.ready();
  ratings ??= new RatingService({
    apps: w.repo,
    ratings: new DynamoRatingStore(w.doc, w.tableName),
    clock,
    calendar: w.getCalendar,
  });
  return ratings;
};

const score = z.enum(ratingScores);
const rateBody = z.strictObject({
  score,
  comment: text({ max: 500, lineBreaks: true }).optional(),
});
const noteBody = z.strictObject({ note: text({ min: 2, max: 1000, lineBreaks: true }) });
const outcomeBody = z.strictObject({ outcome: text({ min: 2, max: 1000, lineBreaks: true }) });
const followUpQuery = z.strictObject({
  status: z.enum(['open', 'contacted', 'resolved']).default('open'),
});
const reportQuery = z.strictObject({
  year: z.coerce.number().int().min(2020).max(2100),
  format: z.enum(['json', 'csv']).default('json'),
});

const rating = z
  .object({
    appId: z.string(),
    service: z.string(),
    township: opt(z.string()),
    agencies: z.array(z.string()),
    outcome: z.string(),
    score,
    comment: opt(z.string()),
    ratedAt: z.string(),
    ratedBy: z.string(),
  })
  .meta({ id: 'Rating' });
const followUp = z
  .object({
    appId: z.string(),
    service: z.string(),
    township: opt(z.string()),
    score,
    comment: opt(z.string()),
    status: z.enum(['open', 'contacted', 'resolved']),
    openedAt: z.string(),
    contactDueAt: z.string(),
    resolveDueAt: z.string(),
    contactedAt: opt(z.string()),
    contactedBy: opt(z.string()),
    contactNote: opt(z.string()),
    resolvedAt: opt(z.string()),
    resolvedBy: opt(z.string()),
    outcome: opt(z.string()),
    overdue: opt(z.boolean()),
  })
  .meta({ id: 'FollowUp' });
const scoreCounts = z.object(Object.fromEntries(ratingScores.map((s) => [s, z.number()])));
const ratingCount = z.object({
  key: z.string(),
  total: z.number(),
  byScore: scoreCounts,
  satisfiedPct: z.number().nullable(),
});
const ratingReport = z
  .object({
    year: z.number(),
    total: z.number(),
    byScore: scoreCounts,
    satisfiedPct: z.number().nullable(),
    byService: z.array(ratingCount),
    byAgency: z.array(ratingCount),
    byTownship: z.array(ratingCount),
    followUps: z.object({
      opened: z.number(),
      contactedInTime: z.number(),
      resolvedInTime: z.number(),
      open: z.number(),
    }),
  })
  .meta({ id: 'RatingReport' });

const noStore = { 'cache-control': 'no-store' };

function reportCsv(r: RatingReport): string {
  const rows = (['service', 'agency', 'township'] as const).flatMap((dimension) =>
    (dimension === 'service' ? r.byService : dimension === 'agency' ? r.byAgency : r.byTownship).map((c) => [
      dimension,
      c.key,
      c.total,
      ...ratingScores.map((s) => c.byScore[s]),
      c.satisfiedPct,
    ]),
  );
  return toCsv(
    [
      'dimension',
      'key',
      'total',
      ...ratingScores.map((s) => `${ratingLabels[s]['zh-CN']} ${s}`),
      'satisfied_pct',
    ],
    rows,
  );
}

export const handler = httpModule({
  'POST /applications/{id}/rating': route({
    roles: ['parent'],
    params: idParam,
    body: rateBody,
    response: z.object({ rating, followUp: z.boolean() }),
    successStatus: [201],
    run: async ({ actor, params, body }) => {
      const done = await (await service()).rate(actor, params.id, body);
      return {
        status: 201,
        body: { rating: done.rating, followUp: done.followUp !== null },
        headers: noStore,
      };
    },
  }),
  'GET /applications/{id}/rating': route({
    params: idParam,
    query: emptyObject,
    response: z.object({ rating: rating.nullable() }),
    run: async ({ actor, params }) => ({
      body: { rating: await (await service()).get(actor, params.id) },
      headers: noStore,
    }),
  }),
  'GET /followups': route({
    roles: ['caseworker'],
    query: followUpQuery,
    response: z.object({ items: z.array(followUp) }),
    run: async ({ actor, query }) => ({
      body: { items: await (await service()).followUps(actor, query.status) },
      headers: noStore,
    }),
  }),
  'POST /followups/{id}/contact': route({
    roles: ['caseworker'],
    params: idParam,
    body: noteBody,
    response: followUp,
    run: async ({ actor, params, body }) => ({
      body: await (await service()).contact(actor, params.id, body.note),
      headers: noStore,
    }),
  }),
  'POST /followups/{id}/resolve': route({
    roles: ['caseworker'],
    params: idParam,
    body: outcomeBody,
    response: followUp,
    run: async ({ actor, params, body }) => ({
      body: await (await service()).resolve(actor, params.id, body.outcome),
      headers: noStore,
    }),
  }),
  'GET /reports/ratings': route({
    roles: ['auditor', 'admin'],
    query: reportQuery,
    response: ratingReport,
    run: async ({ actor, query }): Promise<Reply<RatingReport>> => {
      const report = await (await service()).report(actor, query.year);
      if (query.format !== 'csv') return { body: report, headers: noStore };
      return {
        raw: { contentType: 'text/csv; charset=utf-8', text: reportCsv(report) },
        headers: { ...noStore, 'content-disposition': `attachment; filename="ratings-${query.year}.csv"` },
      };
    },
  }),
});
