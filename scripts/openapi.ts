/**
 * Writes docs/openapi.json from the route table and the handlers' zod schemas, and the console's
 * types generated from it, web/generated/api-types.ts (`npm run openapi`).
 */
import { writeFileSync } from 'node:fs';
import { collectRouteSchemas, openApiDocument } from '../functions/http/openapi.ts';
import { API_TYPES_FILE, renderApiTypes } from './api-types.ts';

const doc = openApiDocument(await collectRouteSchemas());
writeFileSync(new URL('../docs/openapi.json', import.meta.url), `${JSON.stringify(doc, null, 2)}\n`);
writeFileSync(API_TYPES_FILE, await renderApiTypes(JSON.parse(JSON.stringify(doc))));
console.log(`docs/openapi.json: ${Object.keys(doc.paths).length} paths; web/generated/api-types.ts`);
