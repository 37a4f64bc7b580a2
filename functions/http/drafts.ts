/**
 * A parent's drafts: save as you type, resume on any device, discard. Only the owner ever sees a
 * draft (the key is their `sub`); the content is returned to them as typed so the form can be
 * resumed, and is stored encrypted. Drafts expire DRAFT_TTL_DAYS (default 30) after the last save.
 */

import * as z from 'zod';
import { DraftVersionError, DynamoDraftStore } from '#adapters/dynamodb/draft-store';
import { InvalidStateError, NotFoundError, ValidationError, VersionConflictError } from '#core/errors';
import { t } from '#core/i18n';
import { serviceIds } from '#core/services/registry';
import { httpModule, route } from '#shared/http';
import { clock, wiring } from '#shared/wiring';
import { emptyObject } from './schemas.ts';

/**
 * Drafts (functions/http/drafts.ts): the form as the console holds it, flattened to dotted field
 * paths. Keys are plain identifiers (no `__proto__`/`constructor` tricks); sizes are bounded so a
 * draft can never outgrow one DynamoDB item.
 */
const draftKey = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]{0,59}(\.[A-Za-z][A-Za-z0-9]{0,59}){0,5}$/, {
    message: 'Not a form field path',
  })
  .refine((k) => !/(^|\.)(constructor|prototype)(\.|$)/.test(k), { message: 'Not a form field path' });
const draftParam = z.strictObject({
  service: z.string().regex(/^[a-z][a-z0-9-]{0,59}$/, { message: 'Not a service id' }),
  id: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, { message: 'Not a draft id' }),
});
const draftBody = z.strictObject({
  /** the version this client last saw; 0 creates the draft */
  version: z.number().int().min(0).max(1_000_000),
  section: z.string().max(60),
  values: z
    .record(draftKey, z.union([z.string().max(2000), z.array(z.string().max(200)).max(50)]))
    .refine((v) => Object.keys(v).length <= 300, { message: 'At most 300 fields' }),
  toggles: z.record(draftKey, z.boolean()).refine((v) => Object.keys(v).length <= 50, {
    message: 'At most 50 sections',
  }),
});

const TTL_DAYS = Number(process.env.DRAFT_TTL_DAYS ?? 30);
/** Enough for every service several times over; stops a script filling a partition. */
const MAX_DRAFTS = Number(process.env.MAX_DRAFTS_PER_USER ?? 20);
/** Autosave sends one save per pause in typing; a loop or a script gets 429. */
const SAVES_PER_MINUTE = Number(process.env.DRAFT_SAVES_PER_MINUTE ?? 120);

let store: DynamoDraftStore | undefined;
async function drafts(): Promise<DynamoDraftStore> {
  const w = wiring();
  await w.ready();
  store ??= new DynamoDraftStore(w.doc, w.tableName, w.cipher, TTL_DAYS);
  return store;
}

function knownService(service: string) {
  if (!serviceIds().includes(service)) {
    throw new ValidationError([
      {
        path: 'service',
        code: 'unknown_service',
        message: t(`没有名为 ${service} 的服务`, `There is no service ${service}`),
      },
    ]);
  }
}

const notFound = () => new NotFoundError(t('草稿不存在或已过期', 'No such draft, or it has expired'));

export const handler = httpModule(
  {
    'GET /drafts': route({
      roles: ['parent'],
      query: emptyObject,
      run: async ({ actor }) => ({
        body: { items: await (await drafts()).list(actor.sub, clock.now()), maxDrafts: MAX_DRAFTS },
        headers: { 'cache-control': 'no-store' },
      }),
    }),
    'GET /drafts/{service}/{id}': route({
      roles: ['parent'],
      params: draftParam,
      run: async ({ actor, params }) => {
        const draft = await (await drafts()).get(actor.sub, params.service, params.id, clock.now());
        if (!draft) throw notFound();
        return { body: draft, headers: { 'cache-control': 'no-store' } };
      },
    }),
    'PUT /drafts/{service}/{id}': route({
      roles: ['parent'],
      rateLimit: { scope: 'draft-save', limit: SAVES_PER_MINUTE, windowSeconds: 60 },
      params: draftParam,
      body: draftBody,
      run: async ({ actor, params, body }) => {
        knownService(params.service);
        const store = await drafts();
        const now = clock.now();
        if (body.version === 0 && (await store.count(actor.sub, now)) >= MAX_DRAFTS) {
          throw new InvalidStateError(
            t(
              `最多保存 ${MAX_DRAFTS} 份草稿，请先提交或删除不需要的草稿`,
              `At most ${MAX_DRAFTS} drafts are kept; submit or discard one first`,
            ),
          );
        }
        try {
          const saved = await store.save(
            actor.sub,
            params.service,
            params.id,
            { values: body.values, toggles: body.toggles, section: body.section },
            body.version,
            now,
          );
          return { status: body.version === 0 ? 201 : 200, body: saved };
        } catch (err) {
          if (!(err instanceof DraftVersionError)) throw err;
          if (err.current === null && body.version > 0) throw notFound();
          throw new VersionConflictError(
            t(
              '该草稿已在其他窗口或设备上保存过，请重新打开后继续',
              'This draft was saved from another window or device; reopen it to continue',
            ),
          );
        }
      },
    }),
    'DELETE /drafts/{service}/{id}': route({
      roles: ['parent'],
      params: draftParam,
      run: async ({ actor, params }) => {
        if (!(await (await drafts()).delete(actor.sub, params.service, params.id))) throw notFound();
        return { status: 204 };
      },
    }),
  },
  { rateLimiter: () => wiring().rateLimiter },
);
