/**
 * SLA report: per human step, how many decisions came within the promised time and how many
 * late, how many tasks passed their due time while still open (breaches, from the sweeper's
 * `sla-breached` events), per day for a trend line, and for whole cases. Aggregates only.
 */
import type { Cell, CellStats } from '../analytics/cells.ts';
import type { StatsStore } from '../analytics/ports.ts';
import type { ServiceDefinition } from '../engine/types.ts';
import { agencyOf, count, groupCells, isCase, rate, stepOrder } from './aggregate.ts';
import { type CsvValue, toCsv } from './csv.ts';
import type { GroupBy } from './processing-times.ts';
import { checkRange, eachDay } from './range.ts';

export interface SlaRow {
  step: string;
  agency?: string | undefined;
  township?: string | undefined;
  /** decisions (steps) or settled cases (overall) whose SLA was known */
  decided: number;
  withinSla: number;
  late: number;
  withinSlaRate: number | null;
  /** tasks that passed their due time while open */
  breaches: number;
}

export interface SlaDay {
  day: string;
  breaches: number;
  lateDecisions: number;
  lateCases: number;
}

export interface SlaReport {
  service: string;
  from: string;
  to: string;
  groupBy: GroupBy;
  filters: { agency?: string | undefined; township?: string | undefined };
  steps: SlaRow[];
  overall: SlaRow;
  days: SlaDay[];
  groups?: SlaRow[];
}

function slaRow(step: string, s: CellStats | undefined, breaches = count(s, 'breaches')): SlaRow {
  const known = count(s, 'slaKnown');
  const within = count(s, 'withinSla');
  return {
    step,
    decided: known,
    withinSla: within,
    late: known - within,
    withinSlaRate: rate(within, known),
    breaches,
  };
}

function rowsOf(def: ServiceDefinition, cells: Cell[], agency: string | undefined) {
  const stepCells = cells.filter((c) => !isCase(c) && (agency === undefined || c.agency === agency));
  const byStep = groupCells(stepCells, (c) => c.step);
  const steps = stepOrder(def, byStep.keys()).map((step) => ({
    ...slaRow(step, byStep.get(step)),
    agency: agencyOf(def, step, '-'),
  }));
  const cases = groupCells(cells, (c) => (isCase(c) ? 'x' : undefined)).get('x');
  const allSteps = groupCells(stepCells, () => 'x').get('x');
  return { steps, overall: slaRow('overall', cases, count(allSteps, 'breaches')), stepCells };
}

export async function slaReport(
  store: StatsStore,
  def: ServiceDefinition,
  q: {
    from: string;
    to: string;
    groupBy?: GroupBy | undefined;
    agency?: string | undefined;
    township?: string | undefined;
  },
): Promise<SlaReport> {
  const range = checkRange(q.from, q.to);
  const groupBy = q.groupBy ?? 'step';
  const cells = await store.readCells({
    service: def.id,
    ...range,
    township: q.township,
    countersOnly: true,
  });
  const { steps, overall, stepCells } = rowsOf(def, cells, q.agency);
  const stepsByDay = groupCells(stepCells, (c) => c.day);
  const casesByDay = groupCells(cells.filter(isCase), (c) => c.day);
  const days = eachDay(range).map((day) => {
    const s = stepsByDay.get(day);
    const c = casesByDay.get(day);
    return {
      day,
      breaches: count(s, 'breaches'),
      lateDecisions: count(s, 'slaKnown') - count(s, 'withinSla'),
      lateCases: count(c, 'slaKnown') - count(c, 'withinSla'),
    };
  });
  const report: SlaReport = {
    service: def.id,
    ...range,
    groupBy,
    filters: { agency: q.agency, township: q.township },
    steps,
    overall,
    days,
  };
  if (groupBy === 'agency') {
    const byAgency = groupCells(stepCells, (c) => c.agency);
    report.groups = [...byAgency.keys()]
      .sort()
      .map((agency) => ({ ...slaRow('*', byAgency.get(agency)), agency }));
  }
  if (groupBy === 'township') {
    const perTownship =
      q.township === undefined
        ? await store.readCells({ service: def.id, ...range, township: { all: true }, countersOnly: true })
        : cells;
    const byTownship = new Map<string, Cell[]>();
    for (const c of perTownship) {
      const township = q.township ?? c.township;
      byTownship.set(township, [...(byTownship.get(township) ?? []), c]);
    }
    report.groups = [...byTownship.keys()].sort().flatMap((township) => {
      const own = rowsOf(def, byTownship.get(township) as Cell[], q.agency);
      return [...own.steps, own.overall].map((r) => ({ ...r, township }));
    });
  }
  return report;
}

export const SLA_COLUMNS = [
  'row',
  'day',
  'step',
  'agency',
  'township',
  'decided',
  'within_sla',
  'late',
  'within_sla_rate',
  'breaches',
  'late_cases',
] as const;

export function slaCsv(r: SlaReport): string {
  const line = (kind: string, row: SlaRow): CsvValue[] => [
    kind,
    '',
    row.step,
    row.agency ?? r.filters.agency,
    row.township ?? r.filters.township,
    row.decided,
    row.withinSla,
    row.late,
    row.withinSlaRate,
    row.breaches,
    '',
  ];
  return toCsv(SLA_COLUMNS, [
    ...r.steps.map((s) => line('step', s)),
    line('overall', r.overall),
    ...(r.groups ?? []).map((g) => line(r.groupBy, g)),
    ...r.days.map((d): CsvValue[] => [
      'day',
      d.day,
      '',
      r.filters.agency,
      r.filters.township,
      '',
      '',
      d.lateDecisions,
      '',
      d.breaches,
      d.lateCases,
    ]),
  ]);
}
