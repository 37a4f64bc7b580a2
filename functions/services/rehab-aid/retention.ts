/**
 * Document retention of closed rehab-aid cases: the files of applications closed (approved,
 * rejected, withdrawn) more than `retentionDays` ago are deleted from storage; each document's
 * record stays, marked `purged`, and one `documents-purged` event records it in the case history.
 * Progress is kept per closed status (closing times only grow), so a run reads only cases that
 * expired since the last one. Kept apart from RehabService: only the retention job needs it.
 */

import { REHAB_SERVICE_ID } from '#services/rehab-aid/definition';
import type { DocumentStorage, RehabStore } from '#services/rehab-aid/ports';
import type { Clock, Ids } from '../../core/ports.ts';

/** Application statuses after which nothing more happens to the application itself. */
const CLOSED_STATUSES = ['completed', 'partially-completed', 'rejected', 'withdrawn'] as const;

export interface RetentionDeps {
  store: RehabStore;
  files: DocumentStorage;
  clock: Clock;
  ids: Ids;
}

export async function purgeExpiredDocuments(
  d: RetentionDeps,
  retentionDays: number,
  limit = 100,
): Promise<{ cases: number; documents: number }> {
  const now = d.clock.now();
  const at = now.toISOString();
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  let cases = 0;
  let documents = 0;
  for (const status of CLOSED_STATUSES) {
    const after = await d.store.retentionMark(status);
    for (const { appId, sortKey } of await d.store.closedApplications(status, after, cutoff, limit)) {
      const docs = (await d.store.listDocuments(appId)).filter((doc) => doc.status !== 'purged');
      if (docs.length > 0) {
        // files first: a crash between the two leaves records that the next run purges again
        for (const doc of docs) await d.files.remove(doc.objectKey);
        await d.store.purgeDocuments(
          appId,
          docs.map((doc) => ({ ...doc, status: 'purged' as const, purgedAt: at })),
          {
            eventId: d.ids.newId(),
            appId,
            service: REHAB_SERVICE_ID,
            type: 'documents-purged',
            at,
            actor: { sub: 'system:retention', role: 'system' },
            data: { count: docs.length, retentionDays },
          },
        );
        cases++;
        documents += docs.length;
      }
      await d.store.setRetentionMark(status, sortKey);
    }
  }
  return { cases, documents };
}
