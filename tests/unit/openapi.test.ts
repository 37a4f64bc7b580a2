import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRouteSchemas, openApiDocument } from '../../functions/http/openapi.ts';
import { routes } from '../../functions/http/routes.ts';

describe('OpenAPI document', () => {
  it('is current: docs/openapi.json equals what the handlers’ schemas generate (run `npm run openapi`)', async () => {
    const generated = openApiDocument(await collectRouteSchemas());
    const committed = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(generated)));
  });

  it('describes every route, with a request body wherever the handler validates one', async () => {
    const schemas = await collectRouteSchemas();
    const doc = openApiDocument(schemas);
    for (const r of routes) {
      const op = (doc.paths[r.path] as Record<string, any>)[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.path}`).toBeTruthy();
      expect(Boolean(op.requestBody)).toBe(Boolean(schemas[`${r.method} ${r.path}`]?.body));
    }
    expect(Object.keys(doc.components.schemas)).toContain('form_birth_registration');
  });

  it('says which routes need a token: public ones carry `security: []`, the others the bearer scheme', () => {
    const doc = openApiDocument({});
    for (const r of routes) {
      const op = (doc.paths[r.path] as Record<string, any>)[r.method.toLowerCase()];
      expect(op.security, `${r.method} ${r.path}`).toEqual(r.auth ? [{ bearer: [] }] : []);
    }
  });

  it('documents the success body of every operation (a body schema, or 204 without content)', async () => {
    const schemas = await collectRouteSchemas();
    const doc = openApiDocument(schemas);
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      const op = (doc.paths[r.path] as Record<string, any>)[r.method.toLowerCase()];
      const success = Object.entries(op.responses as Record<string, any>).filter(([s]) => /^(2|302)/.test(s));
      expect(success.length, key).toBeGreaterThan(0);
      for (const [status, res] of success) {
        if (status === '204' || status === '302') expect(res.content, key).toBeUndefined();
        else expect(res.content?.['application/json']?.schema, `${key} ${status}`).toBeTruthy();
      }
      const bodiless = r.method === 'DELETE' || key === 'GET /docs';
      if (!bodiless) expect(schemas[key]?.response, key).toBeTruthy();
    }
  });

  it('gives path parameters their real types (a year is an integer, an id has its pattern)', async () => {
    const doc = openApiDocument(await collectRouteSchemas());
    const param = (path: string, method: string, name: string) =>
      ((doc.paths[path] as Record<string, any>)[method].parameters as any[]).find((p) => p.name === name)
        .schema;
    expect(param('/admin/calendar/{year}', 'put', 'year')).toMatchObject({ type: 'integer', minimum: 2000 });
    expect(param('/applications/{id}', 'get', 'id')).toMatchObject({
      type: 'string',
      pattern: expect.any(String),
    });
    expect(param('/childcare/nurseries/{nurseryId}/intakes/{term}/{class}', 'put', 'class')).toMatchObject({
      enum: ['infant', 'toddler', 'older-toddler'],
    });
  });

  it('names the shapes the console uses, with the step statuses of the engine', async () => {
    const doc = openApiDocument(await collectRouteSchemas());
    const named = doc.components.schemas as Record<string, any>;
    expect(named.StepStatus.enum).toContain('waiting');
    expect(named.ApplicationView.properties.waitlist.items).toEqual({
      $ref: '#/components/schemas/WaitlistView',
    });
  });
});
