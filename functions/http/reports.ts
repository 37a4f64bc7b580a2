/** Reports for auditors and admins: aggregates only, never personal data. */
import { toCsv } from '#core/reports/processing-times';
import { httpModule, route } from '#shared/http';
import { wiring } from '#shared/wiring';
import { processingTimesQuery } from './schemas.ts';

export const handler = httpModule({
  'GET /reports/processing-times': route({
    roles: ['auditor', 'admin'],
    query: processingTimesQuery,
    run: async ({ actor, query }) => {
      const rows = await (await wiring().service()).processingTimes(actor, query);
      if (query.format === 'csv')
        return { raw: { contentType: 'text/csv; charset=utf-8', text: toCsv(rows) } };
      const overall = rows.find((r) => r.step === 'overall');
      return {
        body: {
          service: query.service,
          from: query.from,
          to: query.to,
          unit: 'seconds',
          steps: rows.filter((r) => r !== overall),
          overall,
        },
      };
    },
  }),
});
