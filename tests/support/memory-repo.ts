/** An in-memory ApplicationRepository for core unit tests (the real one is tested on DynamoDB Local). */
import { nextTimerAt } from '#core/engine/transition';
import type { Application, DomainEvent, TransitionResult } from '#core/engine/types';
import { IdempotencyConflictError, VersionConflictError } from '#core/errors';
import type { ApplicationRepository, IdempotencyClaim, QueueQuery, TaskItem } from '#core/ports';

export class MemoryRepository implements ApplicationRepository {
  apps = new Map<string, Application>();
  events: DomainEvent[] = [];
  idem = new Map<string, { appId: string; bodyHash: string }>();

  async create(result: TransitionResult, claim?: IdempotencyClaim) {
    if (claim) {
      const seen = this.idem.get(claim.key);
      if (seen) {
        if (seen.bodyHash !== claim.bodyHash) throw new IdempotencyConflictError();
        return { app: structuredClone(this.apps.get(seen.appId) as Application), created: false };
      }
      this.idem.set(claim.key, { appId: result.app.id, bodyHash: claim.bodyHash });
    }
    this.apps.set(result.app.id, structuredClone(result.app));
    this.events.push(...result.events);
    return { app: result.app, created: true };
  }
  async get(id: string) {
    const app = this.apps.get(id);
    return app ? structuredClone(app) : null;
  }
  async save(result: TransitionResult, expectedVersion: number) {
    if (this.apps.get(result.app.id)?.version !== expectedVersion) throw new VersionConflictError();
    this.apps.set(result.app.id, structuredClone(result.app));
    this.events.push(...result.events);
  }
  async listByApplicant(applicant: string) {
    return [...this.apps.values()].filter((a) => a.applicant === applicant);
  }
  async listQueue(q: QueueQuery): Promise<TaskItem[]> {
    return [...this.apps.values()].flatMap((a) =>
      Object.values(a.steps)
        .filter(
          (s) => s.agency === q.agency && s.status === q.status && (!q.township || s.township === q.township),
        )
        .map((s) => ({
          appId: a.id,
          service: a.service,
          step: s.step,
          agency: q.agency,
          township: s.township,
          status: s.status,
          label: a.label,
          dueAt: s.dueAt,
        })),
    );
  }
  async listEvents(appId: string) {
    return this.events.filter((e) => e.appId === appId);
  }
  async listByStatus(service: string, status: string, from: string, to: string) {
    return [...this.apps.values()].filter(
      (a) => a.service === service && a.status === status && a.updatedAt >= from && a.updatedAt <= to,
    );
  }
  async dueTimers(now: Date) {
    return [...this.apps.values()].flatMap((a) =>
      Object.values(a.steps)
        .filter((s) => (nextTimerAt(s) ?? '~') <= now.toISOString())
        .map((s) => ({ appId: a.id, step: s.step })),
    );
  }
}
