/**
 * The auditor reports, one method per route: processing times, SLA, throughput per day and open
 * cases by age. Auditors and admins only; every answer is an aggregate.
 */

import { getService } from '#core/catalog';
import type { OpenCasesSource, StatsStore } from '../analytics/ports.ts';
import type { Actor } from '../engine/types.ts';
import { ForbiddenError } from '../errors.ts';
import { t } from '../i18n.ts';
import type { Clock } from '../ports.ts';
import { openCasesReport } from './open-cases.ts';
import { type ProcessingTimesQuery, processingTimesReport } from './processing-times.ts';
import { slaReport } from './sla-breaches.ts';
import { throughputReport } from './throughput.ts';

export interface ReportDeps {
  stats: StatsStore;
  openCases: OpenCasesSource;
  clock: Clock;
}

type ServiceQuery<Q> = Q & { service: string };

export class AnalyticsReports {
  constructor(private readonly deps: ReportDeps) {}

  private check(actor: Actor, service: string) {
    if (actor.role !== 'auditor' && actor.role !== 'admin') {
      throw new ForbiddenError(
        t('只有审计人员和管理员可以查看报表', 'Only auditors and admins can see reports'),
      );
    }
    return getService(service);
  }

  async processingTimes(actor: Actor, q: ServiceQuery<ProcessingTimesQuery>) {
    return processingTimesReport(this.deps.stats, this.check(actor, q.service), q);
  }

  async slaBreaches(actor: Actor, q: ServiceQuery<Parameters<typeof slaReport>[2]>) {
    return slaReport(this.deps.stats, this.check(actor, q.service), q);
  }

  async throughput(actor: Actor, q: ServiceQuery<Parameters<typeof throughputReport>[2]>) {
    return throughputReport(this.deps.stats, this.check(actor, q.service), q);
  }

  async openCases(actor: Actor, q: ServiceQuery<Parameters<typeof openCasesReport>[2]>) {
    return openCasesReport(this.deps.openCases, this.check(actor, q.service), q, this.deps.clock.now());
  }
}
