/** Writes docs/openapi.json from the route table and the handlers' zod schemas (`npm run openapi`). */
import { writeFileSync } from 'node:fs';
import { collectRouteSchemas, openApiDocument } from '../functions/http/openapi.ts';

const doc = openApiDocument(await collectRouteSchemas());
writeFileSync(new URL('../docs/openapi.json', import.meta.url), `${JSON.stringify(doc, null, 2)}\n`);
console.log(`docs/openapi.json: ${Object.keys(doc.paths).length} paths`);
