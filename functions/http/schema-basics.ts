/**
 * The few schemas the public catalogue needs, apart from the rest of the API's (schemas.ts
 * re-exports them): a cold start of the catalogue evaluates only these (issue 18).
 */
import * as z from 'zod';

export const emptyObject = z.strictObject({});

export const referenceParam = z.strictObject({
  kind: z.enum(['townships', 'hospitals', 'agencies', 'pickupPoints']),
});

export const i18nText = z.object({ 'zh-CN': z.string(), en: z.string() }).meta({ id: 'I18nText' });
export const opt = <T extends z.ZodType>(s: T) => s.optional();
