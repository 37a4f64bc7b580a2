/**
 * A parent's drafts over HTTP (the use cases are core/drafts.ts): save as you type, resume on any
 * device, discard. Drafts expire DRAFT_TTL_DAYS (default 30) after the last save.
 */
import * as z from 'zod';
import { DynamoDraftStore } from '#adapters/dynamodb/draft-store';
import { DraftService } from '#core/drafts';
import { text } from '#core/forms/text';
import { httpModule, route } from '#shared/http';
import { clock, wiring } from '#shared/wiring';
import { emptyObject } from './schemas.ts';
// every service module (this function serves them all)
import '#services/registry';

/**
 * The form as the console holds it, flattened to dotted field
 * paths. Keys are plain identifiers (no `__proto__`/`constructor` tricks); sizes are bounded so a
 * draft can never outgrow one DynamoDB item.
 */
const draftKey = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]{0,59}(\.[A-Za-z][A-Za-z0-9]{0,59}){0,5}$/, {
    message: 'Not a form field path',
  })
  .refine((k) => !/(^|\.)(constructor|prototype)(\.|$)/.test(k), { message: 'Not a form field path' });
/** A draft holds what the form holds (ID numbers, phones, e-mails), under the same text policy. */
const draftText = (max: number) => text({ max, lineBreaks: true, allow: ['idNumber', 'mobile', 'email'] });
const draftParam = z.strictObject({
  service: z.string().regex(/^[a-z][a-z0-9-]{0,59}$/, { message: 'Not a service id' }),
  id: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, { message: 'Not a draft id' }),
});
const draftBody = z.strictObject({
  /** the version this client last saw; 0 creates the draft */
  version: z.number().int().min(0).max(1_000_000),
  section: z.string().max(60),
  values: z
    .record(draftKey, z.union([draftText(2000), z.array(draftText(200)).max(50)]))
    .refine((v) => Object.keys(v).length <= 300, { message: 'At most 300 fields' }),
  toggles: z.record(draftKey, z.boolean()).refine((v) => Object.keys(v).length <= 50, {
    message: 'At most 50 sections',
  }),
});

const draftSummary = z
  .object({
    id: z.string(),
    service: z.string(),
    section: z.string(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'DraftSummary' });
const draftReply = draftSummary
  .extend({
    values: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
    toggles: z.record(z.string(), z.boolean()),
  })
  .meta({ id: 'Draft' });
const draftList = z.object({ items: z.array(draftSummary), maxDrafts: z.number().int() });

const TTL_DAYS = Number(process.env.DRAFT_TTL_DAYS ?? 30);
/** Enough for every service several times over; stops a script filling a partition. */
const MAX_DRAFTS = Number(process.env.MAX_DRAFTS_PER_USER ?? 20);
/** Autosave sends one save per pause in typing; a loop or a script gets 429. */
const SAVES_PER_MINUTE = Number(process.env.DRAFT_SAVES_PER_MINUTE ?? 120);

let service: DraftService | undefined;
async function drafts(): Promise<DraftService> {
  const w = wiring();
  await w.ready();
  service ??= new DraftService({
    store: new DynamoDraftStore(w.doc, w.tableName, w.cipher, TTL_DAYS),
    clock,
    maxDrafts: MAX_DRAFTS,
  });
  return service;
}
const noStore = { 'cache-control': 'no-store' };

export const handler = httpModule(
  {
    'GET /drafts': route({
      roles: ['parent', 'agent'],
      query: emptyObject,
      response: draftList,
      run: async ({ actor }) => {
        const s = await drafts();
        return { body: { items: await s.list(actor), maxDrafts: s.maxDrafts }, headers: noStore };
      },
    }),
    'GET /drafts/{service}/{id}': route({
      roles: ['parent', 'agent'],
      params: draftParam,
      response: draftReply,
      run: async ({ actor, params }) => ({
        body: await (await drafts()).get(actor, params.service, params.id),
        headers: noStore,
      }),
    }),
    'PUT /drafts/{service}/{id}': route({
      roles: ['parent', 'agent'],
      rateLimit: { scope: 'draft-save', limit: SAVES_PER_MINUTE, windowSeconds: 60 },
      params: draftParam,
      body: draftBody,
      response: draftSummary,
      successStatus: [201, 200],
      run: async ({ actor, params, body }) => {
        const { version, ...content } = body;
        const { draft, created } = await (await drafts()).save(
          actor,
          params.service,
          params.id,
          content,
          version,
        );
        return { status: created ? 201 : 200, body: draft };
      },
    }),
    'DELETE /drafts/{service}/{id}': route({
      roles: ['parent', 'agent'],
      params: draftParam,
      run: async ({ actor, params }) => {
        await (await drafts()).discard(actor, params.service, params.id);
        return { status: 204 };
      },
    }),
  },
  { rateLimiter: () => wiring().rateLimiter },
);
