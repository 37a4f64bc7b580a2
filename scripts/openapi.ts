/** Writes docs/openapi.json from the route table and zod schemas (`npm run openapi`). */
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../functions/http/openapi.ts';

const doc = openApiDocument();
writeFileSync(new URL('../docs/openapi.json', import.meta.url), `${JSON.stringify(doc, null, 2)}\n`);
console.log(`docs/openapi.json: ${Object.keys(doc.paths).length} paths`);
