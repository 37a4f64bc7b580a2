/**
 * The OpenAPI 3.1 document, generated from the route table (routes.ts) and the zod schemas each
 * handler module declares for its routes (zod's own JSON Schema output), including each service's
 * form. `npm run openapi` writes docs/openapi.json, which GET /openapi.json serves; a unit test
 * fails when that file is out of date.
 */
import * as z from 'zod';
import { services } from '#core/services/registry';
import type { RouteTable } from '#shared/http';
import { handlerNames, routes } from './routes.ts';

/** Every handler module's route table, by route key (imports the handler modules). */
export async function collectRouteSchemas(): Promise<RouteTable> {
  const out: RouteTable = {};
  for (const name of handlerNames) {
    const mod = (await import(`./${name}.ts`)) as { handler: { routes: RouteTable } };
    Object.assign(out, mod.handler.routes);
  }
  return out;
}

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        messages: { type: 'object', properties: { 'zh-CN': { type: 'string' }, en: { type: 'string' } } },
        fields: {
          type: 'array',
          items: {
            type: 'object',
            properties: { path: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } },
          },
        },
        requestId: { type: 'string' },
      },
    },
  },
};

export function openApiDocument(schemas: RouteTable) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const key = `${r.method} ${r.path}`;
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    for (const where of ['query', 'header'] as const) {
      const shape = (schemas[key]?.[where === 'query' ? 'query' : 'headers'] as z.ZodObject | undefined)
        ?.shape;
      for (const [name, field] of Object.entries(shape ?? {})) {
        params.push({
          name,
          in: where,
          required: !(field as z.ZodType).safeParse(undefined).success,
          schema: jsonSchema(field as z.ZodType) as never,
        });
      }
    }
    const body = schemas[key]?.body as z.ZodType | undefined;
    paths[r.path] ??= {};
    (paths[r.path] as Record<string, unknown>)[r.method.toLowerCase()] = {
      summary: r.summary,
      operationId: `${r.method.toLowerCase()}${r.path.replace(/[{}]/g, '').replace(/[/.-](\w)/g, (_, c: string) => c.toUpperCase())}`,
      ...(r.auth ? { security: [{ bearer: [] }] } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(body) } } } }
        : {}),
      responses: {
        '200': { description: 'OK' },
        ...(r.method === 'POST' && r.path === '/applications' ? { '201': { description: 'Created' } } : {}),
        '400': {
          description: 'Invalid input, with field-level messages in zh-CN and en',
          content: { 'application/json': { schema: errorSchema } },
        },
        ...(r.auth
          ? { '401': { description: 'No or invalid token' }, '403': { description: 'Not allowed' } }
          : {}),
        '404': { description: 'Not found' },
        '409': { description: 'Conflict: lost race or wrong state' },
        '413': { description: 'Body too large' },
        '429': { description: 'Too many requests' },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Onestop API',
      version: '0.1.0',
      description: '出生"一件事"、托位登记、残疾儿童康复救助 — online one-trip services for families.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: Object.fromEntries(
        services.map((svc) => [`form_${svc.id.replaceAll('-', '_')}`, jsonSchema(svc.form)]),
      ),
    },
    paths,
  };
}
