/** Reference figures "as of" a day from effective-dated changes (issue 17). */
import { describe, expect, it } from 'vitest';
import { ReferenceBook, type ReferenceChange, valuesAsOf } from '#core/reference/book';

const change = (
  version: number,
  effectiveFrom: string,
  values: ReferenceChange['values'],
): ReferenceChange => ({
  kind: 'townships',
  id: 'puqi',
  version,
  effectiveFrom,
  values,
  by: 'admin',
  at: `2026-0${version}-01T00:00:00Z`,
});

const entry = (history: ReferenceChange[]) => ({
  kind: 'townships' as const,
  id: 'puqi',
  version: history.length,
  history,
});

describe('reference data as of a day', () => {
  const history = [
    change(1, '2020-01-01', { nameZh: '蒲岐镇', nameEn: 'Puqi Town', kind: '镇', population: 33000 }),
    change(2, '2025-01-01', { population: 34000, under3: 900 }),
    // a correction of 2024 entered after the 2025 figure
    change(3, '2024-06-01', { population: 33500 }),
  ];

  it('applies every change effective by the day, in effective-date order (corrections honoured)', () => {
    expect(valuesAsOf(entry(history), '2023-12-31')).toMatchObject({ population: 33000 });
    expect(valuesAsOf(entry(history), '2024-12-31')).toMatchObject({ population: 33500 });
    expect(valuesAsOf(entry(history), '2025-12-31')).toMatchObject({ population: 34000, under3: 900 });
    expect(valuesAsOf(entry(history), '2019-12-31')).toBeUndefined();
  });

  it('yearly figures are read as of 31 December', () => {
    const book = new ReferenceBook([entry(history)]);
    expect(book.townships(2024)[0]).toMatchObject({
      population: 33500,
      under3: undefined,
      name: { 'zh-CN': '蒲岐镇' },
    });
    expect(book.townships(2025)[0]).toMatchObject({ population: 34000, under3: 900 });
    expect(book.townships(2019)).toEqual([]);
  });

  it('births sum the months entered; a year with none is unknown, not 0', () => {
    const births = (id: string, version: number, n: number): ReferenceChange => ({
      kind: 'births',
      id,
      version,
      effectiveFrom: `${id.split(':')[1]}-01`,
      values: { births: n },
      by: 'admin',
      at: '2026-01-01T00:00:00Z',
    });
    const book = new ReferenceBook([
      {
        kind: 'births',
        id: 'yq-mch:2025-01',
        version: 2,
        history: [births('yq-mch:2025-01', 1, 30), births('yq-mch:2025-01', 2, 31)],
      },
      { kind: 'births', id: 'yq-mch:2025-02', version: 1, history: [births('yq-mch:2025-02', 1, 0)] },
    ]);
    expect(book.birthsInYear('yq-mch', 2025)).toBe(31);
    expect(book.births('yq-mch', '2025-02')).toBe(0);
    expect(book.birthsInYear('yq-mch', 2024)).toBeUndefined();
    expect(book.birthsInYear('yq-people', 2025)).toBeUndefined();
  });
});
