/** The statistics the cold-start bench reports (bench/stats.ts): median and nearest-rank p90. */
import { describe, expect, it } from 'vitest';
import { median, p90, percentile } from '../../bench/stats.ts';

describe('bench statistics', () => {
  it('median of an odd count is the middle sample, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
  });
  it('median of an even count is the mean of the two middle samples', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('p90 by nearest rank: of 1..20 the 18th, of 1..10 the 9th, of one sample that sample', () => {
    expect(p90(Array.from({ length: 20 }, (_, i) => 20 - i))).toBe(18);
    expect(p90([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])).toBe(9);
    expect(p90([42])).toBe(42);
  });
  it('p100 is the largest sample and the input is left unsorted', () => {
    const samples = [3, 1, 2];
    expect(percentile(samples, 100)).toBe(3);
    expect(samples).toEqual([3, 1, 2]);
  });
  it('refuses no samples and a percentile outside (0, 100]', () => {
    expect(() => median([])).toThrow();
    expect(() => percentile([1], 0)).toThrow();
    expect(() => percentile([1], 101)).toThrow();
  });
});
