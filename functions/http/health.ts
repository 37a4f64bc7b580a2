/** GET /health: 200 `{ status: 'ok' }` once the store answers, with calendar coverage. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { httpModule, route } from '#shared/http';
import { wiring } from '#shared/wiring';

/** The reply (functions/http/schemas.ts explains response schemas). */
const healthReply = z.object({
  status: z.literal('ok'),
  calendar: z.object({ missingYears: z.array(z.number().int()) }),
});

export const handler = httpModule({
  'GET /health': route({
    auth: false,
    response: healthReply,
    run: async () => {
      const w = wiring();
      await w.doc.send(new GetCommand({ TableName: w.tableName, Key: { pk: 'HEALTH', sk: 'HEALTH' } }));
      const calendar = await w.getCalendar();
      const year = new Date().getUTCFullYear();
      return {
        body: { status: 'ok' as const, calendar: { missingYears: calendar.missingYears(year, year + 1) } },
      };
    },
  }),
});
