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
      expect(Boolean(op.security)).toBe(r.auth);
    }
    expect(Object.keys(doc.components.schemas)).toContain('form_birth_registration');
  });
});
