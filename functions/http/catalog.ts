/** Public catalogue: the OpenAPI document, the services (forms as JSON Schema, workflows), reference data. */
import * as z from 'zod';
import { toMermaid } from '#core/engine/define-service';
import { referenceData } from '#core/reference/leqing';
import { services } from '#core/services/registry';
import { httpModule, route } from '#shared/http';
import { openApiDocument } from './openapi.ts';
import { emptyObject, referenceParam } from './schemas.ts';

const catalogue = () =>
  services.map((svc) => ({
    id: svc.id,
    title: svc.title,
    description: svc.description,
    sla: svc.sla,
    form: z.toJSONSchema(svc.form, { io: 'input', unrepresentable: 'any' }),
    sensitivePaths: svc.sensitivePaths,
    steps: svc.order.map((name) => {
      const step = svc.steps[name];
      return {
        step: name,
        kind: step?.kind,
        title: step?.title,
        agency: step?.agency,
        needs: step?.needs ?? [],
        sla: step?.sla,
        outputs: step?.outputs
          ? z.toJSONSchema(step.outputs, { io: 'input', unrepresentable: 'any' })
          : undefined,
        rejectReasons: step?.rejectReasons,
      };
    }),
    diagram: { 'zh-CN': toMermaid(svc, 'zh-CN'), en: toMermaid(svc, 'en') },
  }));

const cache = { headers: { 'cache-control': 'public, max-age=300' } };

export const handler = httpModule({
  'GET /openapi.json': route({
    auth: false,
    query: emptyObject,
    run: async () => ({ body: openApiDocument(), ...cache }),
  }),
  'GET /services': route({
    auth: false,
    query: emptyObject,
    run: async () => ({ body: { items: catalogue() }, ...cache }),
  }),
  'GET /reference/{kind}': route({
    auth: false,
    params: referenceParam,
    run: async ({ params }) => ({ body: { items: referenceData[params.kind] }, ...cache }),
  }),
});
