/**
 * The kernel names agencies as admins keep them (issue 17, item 2): once the reference data is
 * read (reference/live.ts), catalog's `agencies()` answers the stored name in force; ids and
 * levels stay the code's; before any read, the code's names.
 */
import { describe, expect, it } from 'vitest';
import '#services/registry';
import { agencies, codeAgencies } from '#core/catalog';
import { ReferenceBook, type ReferenceEntry, seedEntries } from '#core/reference/book';
import { adoptReferenceBook } from '#core/reference/live';

const seeded = (): ReferenceEntry[] =>
  seedEntries('agencies').map(({ id, values }) => ({
    kind: 'agencies',
    id,
    version: 1,
    history: [
      {
        kind: 'agencies',
        id,
        version: 1,
        effectiveFrom: '2020-01-01',
        values,
        by: 'seed',
        at: '2026-01-01T00:00:00Z',
      },
    ],
  }));

describe('agency names from the reference data', () => {
  it('uses the code’s names before the reference data is read', () => {
    expect(agencies()).toEqual(codeAgencies());
  });

  it('answers the stored name in force on the day, keeping the id and level', () => {
    const entries = seeded();
    const police = entries.find((e) => e.id === 'police');
    police?.history.push({
      kind: 'agencies',
      id: 'police',
      version: 2,
      effectiveFrom: '2026-06-01',
      values: { nameZh: '公安分局户籍科', nameEn: 'Police household registration office' },
      by: 'admin-1',
      at: '2026-05-20T00:00:00Z',
    });
    const book = new ReferenceBook(entries);
    adoptReferenceBook(book, 2026, '2026-05-31');
    expect(agencies().find((a) => a.id === 'police')?.name['zh-CN']).toBe('公安派出所（户口登记）');
    adoptReferenceBook(book, 2026, '2026-06-01');
    const police2 = agencies().find((a) => a.id === 'police');
    expect(police2).toMatchObject({
      id: 'police',
      level: 'township',
      name: { en: 'Police household registration office' },
    });
    expect(agencies().map((a) => a.id)).toEqual(codeAgencies().map((a) => a.id));
  });
});
