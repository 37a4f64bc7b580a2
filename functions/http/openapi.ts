/**
 * The OpenAPI 3.1 document, generated from the route table (routes.ts) and the zod schemas each
 * handler module declares for its routes (zod's own JSON Schema output), including each service's
 * form. `npm run openapi` writes docs/openapi.json, which GET /openapi.json serves; a unit test
 * fails when that file is out of date.
 */
import * as z from 'zod';
import { services } from '#services/registry';
import type { RouteTable } from '#shared/http';
import { handlerEntry, handlerNames, routes } from './routes.ts';

/** Every handler module's route table, by route key (imports the handler modules). */
export async function collectRouteSchemas(): Promise<RouteTable> {
  const out: RouteTable = {};
  for (const name of handlerNames) {
    const mod = (await import(/* @vite-ignore */ `../../${handlerEntry.http(name)}`)) as {
      handler: { routes: RouteTable };
    };
    Object.assign(out, mod.handler.routes);
  }
  return out;
}

const jsonSchema = (schema: z.ZodType) => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
};

/**
 * A reply's JSON Schema, its named parts (`.meta({ id })`) moved into `shared` (the document's
 * components) and referenced from there, so the console's generated types have one name each.
 */
function responseSchema(schema: z.ZodType, shared: Record<string, unknown>): Record<string, unknown> {
  const {
    $schema: _,
    $defs,
    ...rest
  } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as {
    $schema?: string;
    $defs?: Record<string, unknown>;
  };
  const relink = (v: unknown): unknown =>
    JSON.parse(JSON.stringify(v).replaceAll('"#/$defs/', '"#/components/schemas/'));
  for (const [id, def] of Object.entries($defs ?? {})) shared[id] = relink(def);
  return relink(rest) as Record<string, unknown>;
}

/**
 * A request body's JSON Schema. A body that names a service and carries its form (submit) is
 * documented as one of the services' forms (components `form_<service>`), which the server
 * checks against the named service.
 */
function bodySchema(body: z.ZodType): unknown {
  const shape = (body as z.ZodObject).shape;
  if (!shape || !('service' in shape) || !('form' in shape)) return jsonSchema(body);
  return {
    oneOf: services.map((svc) => ({
      type: 'object',
      required: ['service', 'form'],
      additionalProperties: false,
      properties: {
        service: { const: svc.id },
        form: { $ref: `#/components/schemas/form_${svc.id.replaceAll('-', '_')}` },
      },
    })),
  };
}

/** A path parameter's schema from the route's params schema (e.g. an integer year), else a string. */
function pathParamSchema(params: z.ZodType | undefined, name: string): unknown {
  const field = (params as z.ZodObject | undefined)?.shape?.[name] as z.ZodType | undefined;
  // the parsed value's type: a strict integer is read from the path's text, but it is an integer
  return field ? z.toJSONSchema(field, { io: 'output', unrepresentable: 'any' }) : { type: 'string' };
}

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
  const shared: Record<string, unknown> = {};
  for (const r of routes) {
    const key = `${r.method} ${r.path}`;
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1] as string,
      in: 'path',
      required: true,
      schema: pathParamSchema(schemas[key]?.params as z.ZodType | undefined, m[1] as string) as never,
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
    const response = schemas[key]?.response as z.ZodType | undefined;
    const queryShape = (schemas[key]?.query as z.ZodObject | undefined)?.shape;
    const csv = queryShape && 'format' in queryShape ? { 'text/csv': { schema: { type: 'string' } } } : {};
    const success = response
      ? { content: { 'application/json': { schema: responseSchema(response, shared) }, ...csv } }
      : {};
    const statuses = schemas[key]?.successStatus ?? (response ? [200] : [204]);
    paths[r.path] ??= {};
    (paths[r.path] as Record<string, unknown>)[r.method.toLowerCase()] = {
      summary: r.summary,
      operationId: `${r.method.toLowerCase()}${r.path.replace(/[{}]/g, '').replace(/[/.-](\w)/g, (_, c: string) => c.toUpperCase())}`,
      security: r.auth ? [{ bearer: [] }] : [],
      ...(params.length ? { parameters: params } : {}),
      ...(body
        ? { requestBody: { required: true, content: { 'application/json': { schema: bodySchema(body) } } } }
        : {}),
      responses: {
        ...Object.fromEntries(
          statuses.map((status) => [
            String(status),
            status === 204
              ? { description: 'Done; no content' }
              : status === 302
                ? { description: 'Redirect (Location header)' }
                : { description: status === 201 ? 'Created' : 'OK', ...success },
          ]),
        ),
        '400': { $ref: '#/components/responses/BadRequest' },
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
      responses: {
        BadRequest: {
          description: 'Invalid input, with field-level messages in zh-CN and en',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        ...Object.fromEntries(
          services.map((svc) => [`form_${svc.id.replaceAll('-', '_')}`, jsonSchema(svc.form)]),
        ),
        ...Object.fromEntries(Object.entries(shared).sort(([a], [b]) => a.localeCompare(b))),
        Error: errorSchema,
      },
    },
    paths,
  };
}
