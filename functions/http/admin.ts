/** Admin: the working-day calendar (holiday years published by the State Council each winter). */

import * as z from 'zod';
import { ValidationError } from '#core/errors';
import { httpModule, route } from '#shared/http';
import { wiring } from '#shared/wiring';
import { calendarYearBody, calendarYearParam, emptyObject } from './schemas.ts';

/* Replies (functions/http/schemas.ts explains response schemas). */
const calendarReply = z.object({
  coveredYears: z.array(z.number().int()),
  missingYears: z.array(z.number().int()),
});
const calendarYearReply = z.object({
  year: z.number().int(),
  holidays: z.number().int(),
  workdays: z.number().int(),
});

export const handler = httpModule({
  'GET /admin/calendar': route({
    roles: ['admin', 'auditor', 'caseworker'],
    query: emptyObject,
    response: calendarReply,
    run: async () => {
      const calendar = await wiring().getCalendar();
      const year = wiring().clock.now().getUTCFullYear();
      return {
        body: { coveredYears: calendar.coveredYears(), missingYears: calendar.missingYears(year, year + 1) },
      };
    },
  }),
  'PUT /admin/calendar/{year}': route({
    roles: ['admin'],
    params: calendarYearParam,
    body: calendarYearBody,
    response: calendarYearReply,
    run: async ({ actor, params, body }) => {
      const outside = [...body.holidays, ...body.workdays].filter((d) => !d.startsWith(`${params.year}-`));
      if (outside.length > 0) {
        throw new ValidationError(
          outside.map((d) => ({
            path: 'holidays',
            code: 'wrong_year',
            message: { 'zh-CN': `${d} 不在 ${params.year} 年`, en: `${d} is not in ${params.year}` },
          })),
        );
      }
      await wiring().calendarStore.put(params.year, body, actor.sub, wiring().clock.now().toISOString());
      wiring().invalidateCalendar();
      return { body: { year: params.year, holidays: body.holidays.length, workdays: body.workdays.length } };
    },
  }),
});
