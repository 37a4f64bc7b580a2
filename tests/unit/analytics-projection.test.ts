import { DDSketch } from '@datadog/sketches-js';
import { describe, expect, it } from 'vitest';
import { cellFromItem, cellItem } from '#adapters/dynamodb/stats-repository';
import { ALL_TOWNSHIPS, CASE_STEP, chinaDay, contributionOf } from '#core/analytics/cells';
import { contributionsOf, recordEvents } from '#core/analytics/consumer';
import { decodeSketch, encodeSketch, exactQuantile, RELATIVE_ACCURACY, Sketch } from '#core/analytics/sketch';
import { syntheticCases } from '#core/analytics/synthetic';
import type { DomainEvent } from '#core/engine/types';
import { birthRegistration } from '#services/birth-registration/definition';
import { MemoryStatsStore } from '../support/memory-stats-store.ts';

const base: DomainEvent = {
  eventId: '01JEVENT0000000000000000001',
  seq: 0,
  appId: '01JAPP00000000000000000001',
  service: 'birth-registration',
  type: 'step-approved',
  at: '2025-03-01T16:30:00.000Z',
  actor: { sub: 'cw-police-liushi-王小明', role: 'caseworker', agency: 'police' },
  step: 'hukou',
  agency: 'police',
  township: 'liushi',
  from: 'claimed',
  to: 'done',
  data: {
    waitSeconds: 3600,
    workSeconds: 1800.5,
    pausedSeconds: 0,
    totalSeconds: 5400.5,
    withinSla: true,
    outputKeys: ['householdNumber'],
  },
};

describe('metrics projection (event → daily cells)', () => {
  it('files a decision under its China (UTC+8) day, for its township and the all-township rollup', () => {
    const c = contributionOf(base);
    expect(chinaDay(base.at)).toBe('2025-03-02');
    expect(c.updates.map((u) => u.key)).toEqual([
      {
        service: 'birth-registration',
        day: '2025-03-02',
        step: 'hukou',
        agency: 'police',
        township: 'liushi',
      },
      {
        service: 'birth-registration',
        day: '2025-03-02',
        step: 'hukou',
        agency: 'police',
        township: ALL_TOWNSHIPS,
      },
    ]);
    const stats = c.updates[0]!.stats;
    expect(stats.counters).toMatchObject({
      decided: 1,
      approved: 1,
      slaKnown: 1,
      withinSla: 1,
      firstTimeRight: 1,
    });
    expect(stats.sketches.total?.count).toBe(1);
    expect(stats.sketches.work?.sum).toBe(1800.5);
    expect(stats.sketches.paused?.zero).toBe(1);
  });

  it('never carries personal data or free text into the statistics', () => {
    const event: DomainEvent = {
      ...base,
      type: 'step-rejected',
      reason: 'parent-info-mismatch',
      note: '母亲身份证号 330382199503120249 与医院记录不符，电话 13800138000',
      township: '柳市镇 330382199503120249',
      data: { ...base.data, fields: ['mother.idNumber'], assignee: 'cw-police-liushi-王小明' },
    };
    const c = contributionOf(event);
    const stored = JSON.stringify(c.updates.map((u) => ({ key: u.key, attrs: cellItem(u.key, u.stats) })));
    for (const secret of [
      '330382199503120249',
      '13800138000',
      '王小明',
      'cw-police',
      'mother.idNumber',
      '母亲',
    ]) {
      expect(stored).not.toContain(secret);
    }
    expect(c.updates[0]!.key.township).toBe('-');
  });

  it('counts a decision after a request for information as not first-time-right', () => {
    const c = contributionOf({ ...base, data: { ...base.data, pausedSeconds: 7200 } });
    expect(c.updates[0]!.stats.counters.firstTimeRight).toBeUndefined();
    const explicit = contributionOf({ ...base, data: { ...base.data, pausedSeconds: 0, infoRequests: 1 } });
    expect(explicit.updates[0]!.stats.counters.firstTimeRight).toBeUndefined();
  });

  it('ignores auto steps and events that change no figure (opened, claimed, warnings, reveals)', () => {
    for (const type of [
      'step-opened',
      'step-claimed',
      'step-unclaimed',
      'sla-warning',
      'id-revealed',
    ] as const) {
      expect(contributionOf({ ...base, type }).updates).toEqual([]);
    }
    expect(
      contributionOf({ ...base, data: { auto: true, totalSeconds: 0, withinSla: true } }).updates,
    ).toEqual([]);
  });

  it('files whole-case outcomes under the _case pseudo-step', () => {
    const c = contributionOf({
      ...base,
      type: 'partially-completed',
      step: undefined,
      agency: undefined,
      data: { totalSeconds: 86400, withinSla: false },
    });
    expect(c.updates[0]!.key).toMatchObject({ step: CASE_STEP, agency: '-' });
    expect(c.updates[0]!.stats.counters).toMatchObject({ settled: 1, partial: 1, slaKnown: 1 });
    expect(c.updates[0]!.stats.counters.withinSla).toBeUndefined();
  });

  it('stores a cell as counters and compact sketch bytes and reads back the same figures', () => {
    const events = [
      ...syntheticCases(birthRegistration, { cases: 300, townships: ['liushi', 'lecheng'] }),
    ].flatMap((c) => c.events);
    const store = new MemoryStatsStore();
    store.applySync(contributionsOf(events));
    for (const cell of store.all()) {
      const back = cellFromItem({ pk: 'x', sk: 'y', version: 3, ...cellItem(cell, cell.stats) });
      expect({ ...back, stats: undefined }).toEqual({ ...cell, stats: undefined });
      const nonZero = (c: Record<string, number | undefined>) =>
        Object.fromEntries(Object.entries(c).filter(([, n]) => n));
      expect(nonZero(back.stats.counters)).toEqual(nonZero(cell.stats.counters));
      for (const [m, s] of Object.entries(cell.stats.sketches)) {
        if (!s) continue;
        const r = back.stats.sketches[m as 'total']!;
        expect([...r.bins].sort()).toEqual([...s.bins].sort());
        expect(r.zero).toBe(s.zero);
        expect(r.sum).toBe(s.sum);
      }
    }
  });

  it('redelivering events changes no figure (in memory)', async () => {
    const events = [...syntheticCases(birthRegistration, { cases: 50, townships: ['liushi'] })].flatMap(
      (c) => c.events,
    );
    const store = new MemoryStatsStore();
    const first = await recordEvents(store, events);
    const snapshot = JSON.stringify(store.all(), (_k, v) => (v instanceof Map ? [...v] : v));
    const again = await recordEvents(store, [...events].reverse());
    expect(first.duplicates).toBe(0);
    expect(again).toEqual({ applied: 0, duplicates: first.applied, failed: [] });
    expect(JSON.stringify(store.all(), (_k, v) => (v instanceof Map ? [...v] : v))).toBe(snapshot);
  });
});

describe('Sketch (DDSketch bins)', () => {
  it('answers the same quantiles as the library sketch fed the same values', () => {
    const values = Array.from({ length: 5000 }, (_, i) => Math.exp((i % 97) / 9) + i / 1000);
    const dd = new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });
    for (const v of values) dd.accept(v);
    const mine = Sketch.of(values);
    for (const q of [0, 0.25, 0.5, 0.9, 0.95, 0.99, 1]) {
      expect(mine.quantiles([q])[0]).toBe(dd.getValueAtQuantile(q));
    }
  });

  it('merges by adding bins: merged halves equal the whole, within 1% of the exact value', () => {
    const values = Array.from({ length: 20000 }, (_, i) => ((i * 7919) % 100000) / 3 + 0.001);
    const a = Sketch.of(values.slice(0, 7000));
    const b = Sketch.of(values.slice(7000));
    const whole = Sketch.of(values);
    const merged = new Sketch().merge(a).merge(b);
    const { mean, ...percentiles } = merged.summary();
    const { mean: wholeMean, ...wholePercentiles } = whole.summary();
    expect(percentiles).toEqual(wholePercentiles);
    expect(mean).toBeCloseTo(wholeMean!, 6);
    const sorted = [...values].sort((x, y) => x - y);
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      const exact = exactQuantile(sorted, q);
      expect(Math.abs(merged.quantiles([q])[0]! - exact) / exact).toBeLessThanOrEqual(RELATIVE_ACCURACY);
    }
  });

  it('encodes to compact bytes and back without loss (negative keys, zeros, large counts)', () => {
    const s = Sketch.of([0, 0, 0.001, 0.5, 1, 2, 3600, 86400 * 400]).addBin(1000, 2 ** 40);
    const bytes = encodeSketch(s);
    const back = decodeSketch(bytes);
    expect([...back.bins].sort()).toEqual([...s.bins].sort());
    expect(back.zero).toBe(2);
    expect(back.sum).toBe(s.sum);
    expect(bytes.length).toBeLessThan(40);
    expect(() => decodeSketch(bytes.slice(0, 5))).toThrow();
  });

  it('keeps zeros exactly and gives 0 percentiles for an empty sketch', () => {
    expect(Sketch.of([0, 0, 0, 10]).summary()).toMatchObject({ count: 4, p50: 0 });
    expect(new Sketch().summary()).toEqual({ count: 0, p50: 0, p90: 0, p95: 0, p99: 0, mean: null });
  });
});
