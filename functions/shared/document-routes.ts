/**
 * The routes of case documents (core/case-documents.ts) for a module that asks for them, under
 * the module's own path (`<base>/applications/{id}/documents…`): a module's http.ts spreads
 * `documentRoutes(base, kinds, useCase)` into its route table, so its one function serves them.
 */
import * as z from 'zod';
import type { CaseDocuments } from '#core/case-documents';
import { documentTypes } from '#core/documents';
import { emptyObject, idParam, uploadSize, uploadTicket } from '../http/schemas.ts';
import { route } from './http.ts';

const noStore = { 'cache-control': 'no-store' };

export function documentRoutes(
  base: string,
  kinds: readonly [string, ...string[]],
  useCase: () => Promise<CaseDocuments>,
) {
  const caseDocument = z.object({
    documentId: z.string(),
    appId: z.string(),
    kind: z.enum(kinds),
    contentType: z.enum(documentTypes),
    size: z.number(),
    status: z.enum(['awaiting-upload', 'uploaded', 'refused', 'purged']),
    objectKey: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
    uploadExpiresAt: z.string().optional(),
    uploadedAt: z.string().optional(),
    refusedReason: z.string().optional(),
    purgedAt: z.string().optional(),
  });
  const documentParam = idParam.extend({ documentId: idParam.shape.id });
  return {
    [`POST ${base}/applications/{id}/documents`]: route({
      summary: 'Parent: request a presigned upload URL for a document (PDF/JPEG/PNG, ≤ 10 MB)',
      roles: ['parent'],
      rateLimit: { scope: 'document-upload', limit: 30, windowSeconds: 60 },
      params: idParam,
      body: z.strictObject({
        kind: z.enum(kinds),
        contentType: z.enum(documentTypes),
        size: uploadSize,
      }),
      response: z.object({
        document: caseDocument,
        upload: uploadTicket,
      }),
      successStatus: [201],
      run: async ({ actor, params, body }) => ({
        status: 201,
        body: await (await useCase()).requestUpload(actor, params.id, body),
        headers: noStore,
      }),
    }),
    [`GET ${base}/applications/{id}/documents`]: route({
      summary: 'The documents of an application',
      params: idParam,
      query: emptyObject,
      response: z.object({ items: z.array(caseDocument) }),
      run: async ({ actor, params }) => ({ body: { items: await (await useCase()).list(actor, params.id) } }),
    }),
    [`POST ${base}/applications/{id}/documents/{documentId}/complete`]: route({
      summary: 'Parent: check an uploaded document (size, type, magic bytes, encryption)',
      roles: ['parent'],
      params: documentParam,
      body: emptyObject,
      response: caseDocument,
      run: async ({ actor, params }) => ({
        body: await (await useCase()).completeUpload(actor, params.id, params.documentId),
      }),
    }),
    [`POST ${base}/applications/{id}/documents/{documentId}/link`]: route({
      summary: 'A short-lived view link for a document (every view is an audit event)',
      params: documentParam,
      body: emptyObject,
      response: z.object({ documentId: z.string(), url: z.string(), expiresAt: z.string() }),
      run: async ({ actor, params }) => ({
        body: await (await useCase()).link(actor, params.id, params.documentId),
        headers: noStore,
      }),
    }),
  };
}
