/**
 * Admin: the working-day calendar (holiday years published by the State Council each winter), and
 * the reference data with history (townships, hospitals, births per hospital and month, eligible
 * children per programme and year), each change an audited record with an effective date.
 */

import * as z from 'zod';
import { ValidationError } from '#core/errors';
import { valuesAsOf } from '#core/reference/book';
import { changeReference, importBirths } from '#core/reference/service';
import { httpModule, route } from '#shared/http';
import { logger } from '#shared/logger';
import { wiring } from '#shared/wiring';
import {
  birthsImportBody,
  calendarYearBody,
  calendarYearParam,
  emptyObject,
  referenceChangeBody,
  referenceEntryParam,
  referenceKindParam,
} from './schemas.ts';

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

const refValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
const referenceChange = z
  .object({
    kind: z.string(),
    id: z.string(),
    version: z.number().int(),
    effectiveFrom: z.string(),
    values: refValues,
    by: z.string(),
    at: z.string(),
    note: z.string().optional(),
  })
  .meta({ id: 'ReferenceChange' });
const referenceListReply = z.object({
  kind: z.string(),
  asOf: z.string(),
  entries: z.array(
    z.object({
      id: z.string(),
      version: z.number().int(),
      /** the values as of `asOf` (absent: not yet in effect) */
      current: refValues.optional(),
      history: z.array(referenceChange),
    }),
  ),
});
const birthsImportReply = z.object({
  rows: z.number().int(),
  changed: z.number().int(),
  unchanged: z.number().int(),
});

const chinaToday = () => new Date(wiring().clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);

export const handler = httpModule({
  'GET /admin/reference/{kind}': route({
    roles: ['admin', 'auditor'],
    params: referenceKindParam,
    query: emptyObject,
    response: referenceListReply,
    run: async ({ params }) => {
      const asOf = chinaToday();
      const entries = await wiring().referenceStore.list(params.kind);
      return {
        body: {
          kind: params.kind,
          asOf,
          entries: entries.map((e) => ({
            id: e.id,
            version: e.version,
            current: valuesAsOf(e, asOf),
            history: e.history,
          })),
        },
      };
    },
  }),
  'PUT /admin/reference/{kind}/{id}': route({
    roles: ['admin'],
    params: referenceEntryParam,
    body: referenceChangeBody,
    response: referenceChange,
    run: async ({ actor, params, body }) => {
      const change = await changeReference(
        wiring().referenceStore,
        { kind: params.kind, id: params.id, ...body },
        actor.sub,
      );
      logger.info('reference changed', {
        kind: change.kind,
        id: change.id,
        version: change.version,
        effectiveFrom: change.effectiveFrom,
        by: change.by,
      });
      return { body: change };
    },
  }),
  'POST /admin/reference/births/import': route({
    roles: ['admin'],
    body: birthsImportBody,
    response: birthsImportReply,
    run: async ({ actor, body }) => {
      const result = await importBirths(wiring().referenceStore, body.csv, actor.sub);
      logger.info('births imported', { ...result, by: actor.sub });
      return { body: result };
    },
  }),
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
