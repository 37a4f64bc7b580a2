/**
 * Mergeable quantile sketches of durations (DDSketch, relative accuracy 1%). A sketch is kept
 * as its sparse bins (bin key → count) under the fixed logarithmic mapping of
 * `@datadog/sketches-js`, plus the count of zeros and the exact sum. Because the mapping is
 * fixed, merging two sketches is adding their bins, which is what lets the store keep each bin as
 * an atomic counter. Quantiles are answered by the library's own DDSketch over the same bins.
 */
import { DDSketch } from '@datadog/sketches-js';

/** Every returned quantile is within this relative error of the true value at the same rank. */
export const RELATIVE_ACCURACY = 0.01;

const MAPPING = new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY }).mapping;

/** The mapping's parameter, stored beside the sketches so a change of accuracy is detectable. */
export const SKETCH_GAMMA = MAPPING.gamma;

/** The percentiles every report gives. */
export const PERCENTILES = [50, 90, 95, 99] as const;

export interface QuantileSummary {
  count: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  mean: number | null;
}

export class Sketch {
  readonly bins = new Map<number, number>();
  zero = 0;
  sum = 0;

  /** The bin key a (positive) value falls in. */
  static keyOf(value: number): number {
    return MAPPING.key(value);
  }

  /** The value a bin key stands for (within the relative accuracy of every value in the bin). */
  static valueOf(key: number): number {
    return MAPPING.value(key);
  }

  static of(values: Iterable<number>): Sketch {
    const s = new Sketch();
    for (const v of values) s.add(v);
    return s;
  }

  get count(): number {
    let n = this.zero;
    for (const c of this.bins.values()) n += c;
    return n;
  }

  /** Adds a duration in seconds. Negative values (clock skew) count as zero. */
  add(value: number, weight = 1): this {
    if (!Number.isFinite(value) || weight <= 0) return this;
    const v = Math.max(0, value);
    this.sum += v * weight;
    if (v > MAPPING.minPossible) {
      const key = MAPPING.key(v);
      this.bins.set(key, (this.bins.get(key) ?? 0) + weight);
    } else {
      this.zero += weight;
    }
    return this;
  }

  addBin(key: number, count: number): this {
    if (count > 0) this.bins.set(key, (this.bins.get(key) ?? 0) + count);
    return this;
  }

  merge(other: Sketch): this {
    const bins = this.bins;
    for (const [k, c] of other.bins) bins.set(k, (bins.get(k) ?? 0) + c);
    this.zero += other.zero;
    this.sum += other.sum;
    return this;
  }

  isEmpty(): boolean {
    return this.zero === 0 && this.bins.size === 0;
  }

  /** The library's sketch over these bins (to answer quantiles). */
  toDDSketch(): DDSketch {
    const dd = new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });
    const keys = [...this.bins.keys()].sort((a, b) => a - b);
    let n = this.zero;
    for (const k of keys) {
      const c = this.bins.get(k) ?? 0;
      dd.store.add(k, c);
      n += c;
    }
    dd.zeroCount = this.zero;
    dd.count = n;
    dd.sum = this.sum;
    return dd;
  }

  /**
   * Quantiles q ∈ [0, 1] with DDSketch's rank convention: the value at 0-based rank
   * ⌊q·(n − 1)⌋ of the sorted samples, within 1% relative error. NaN when empty.
   */
  quantiles(qs: readonly number[]): number[] {
    if (this.isEmpty()) return qs.map(() => Number.NaN);
    const dd = this.toDDSketch();
    return qs.map((q) => dd.getValueAtQuantile(q));
  }

  /** count, p50/p90/p95/p99 (0 when empty, as the API always gave) and the exact mean. */
  summary(): QuantileSummary {
    const count = this.count;
    if (count === 0) return { count: 0, p50: 0, p90: 0, p95: 0, p99: 0, mean: null };
    const [p50, p90, p95, p99] = this.quantiles(PERCENTILES.map((p) => p / 100)) as [
      number,
      number,
      number,
      number,
    ];
    return { count, p50, p90, p95, p99, mean: this.sum / count };
  }
}

/**
 * Compact binary form of a sketch (what the store keeps): format byte 1, zero count (varint),
 * exact sum (float64), number of bins (varint), then per bin in key order the key (first:
 * zig-zag varint; then the gap to the previous key, varint) and its count (varint). A day's
 * sketch of a few hundred durations takes a few hundred bytes.
 */
export function encodeSketch(s: Sketch): Uint8Array {
  const keys = [...s.bins.keys()].sort((a, b) => a - b);
  const out: number[] = [1];
  const varint = (n: number) => {
    let v = Math.max(0, Math.round(n));
    while (v >= 0x80) {
      out.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    out.push(v);
  };
  varint(s.zero);
  const sum = new DataView(new ArrayBuffer(8));
  sum.setFloat64(0, s.sum, true);
  for (let b = 0; b < 8; b++) out.push(sum.getUint8(b));
  varint(keys.length);
  let prev = 0;
  keys.forEach((k, i) => {
    if (i === 0) varint(k < 0 ? -2 * k - 1 : 2 * k);
    else varint(k - prev);
    prev = k;
    varint(s.bins.get(k) ?? 0);
  });
  return Uint8Array.from(out);
}

export function decodeSketch(bytes: Uint8Array): Sketch {
  let i = 0;
  const varint = () => {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = bytes[i++];
      if (b === undefined) throw new Error('Truncated sketch');
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 0x80;
    }
  };
  if (bytes[i++] !== 1) throw new Error('Unknown sketch format');
  const s = new Sketch();
  s.zero = varint();
  if (i + 8 > bytes.length) throw new Error('Truncated sketch');
  s.sum = new DataView(bytes.buffer, bytes.byteOffset + i, 8).getFloat64(0, true);
  i += 8;
  const n = varint();
  let key = 0;
  for (let b = 0; b < n; b++) {
    if (b === 0) {
      const z = varint();
      key = z % 2 === 1 ? -(z + 1) / 2 : z / 2;
    } else {
      key += varint();
    }
    s.bins.set(key, varint());
  }
  return s;
}

/** The exact value the sketch approximates, computed by sorting (for tests and the baseline). */
export function exactQuantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.floor(q * (sorted.length - 1))] as number;
}
