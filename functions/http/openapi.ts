/**
 * The OpenAPI 3.1 document, generated from the route table and the zod schemas (zod's own JSON
 * Schema output), including each service's form. Served at /openapi.json; `npm run openapi`
 * writes docs/openapi.json.
 */
import * as z from 'zod';
import { services } from '#core/services/registry';
import { routes } from './routes.ts';
import * as s from './schemas.ts';

const bodies: Record<string, z.ZodType> = {
  'POST /applications': s.createApplicationBody,
  'POST /applications/{id}/resubmit': s.resubmitBody,
  'POST /applications/{id}/steps/{step}/decision': s.decisionBody,
  'POST /applications/{id}/reveal': s.revealBody,
  'PUT /admin/calendar/{year}': s.calendarYearBody,
};
const queries: Record<string, z.ZodObject> = {
  'GET /tasks': s.queueQuery,
  'GET /reports/processing-times': s.processingTimesQuery,
};

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

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const key = `${r.method} ${r.path}`;
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const query = queries[key];
    if (query) {
      for (const [name, field] of Object.entries(query.shape)) {
        params.push({
          name,
          in: 'query',
          required: !(field as z.ZodType).safeParse(undefined).success,
          schema: jsonSchema(field as z.ZodType) as never,
        });
      }
    }
    const body = bodies[key];
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
