/**
 * The yearly monitoring report as an XLSX workbook for the statistics bureau (issue 17, item 4),
 * made in the browser from the report JSON the page already shows: one sheet of indicators, one
 * per table (by township, by maternity hospital) and one of notes; figures as numbers (not text),
 * so the bureau can add them up. Headings in zh-CN with English, like the CSV. The writer
 * (write-excel-file) is imported only when an auditor asks for the file.
 */
import type { Row, Sheet } from 'write-excel-file/browser';
import type { Reply } from '../../types.ts';

type Yearly = Reply<'/reports/yearly', 'get'>;

const UNIT: Record<string, string> = { percent: '%', per1000: '‰人' };
const num = (v: number | null | undefined) => (typeof v === 'number' ? v : null);
const head = (...cells: string[]): Row => cells.map((value) => ({ value, fontWeight: 'bold' as const }));

/** The workbook's sheets (pure: the test reads the file back against these figures). */
export function yearlySheets(r: Yearly): Array<Sheet<never>> {
  const trendYears = r.indicators[0]?.trend.map((p) => p.year) ?? [];
  const indicators: Row[] = [
    [{ value: `${r.title['zh-CN']} / ${r.title.en}`, fontWeight: 'bold' }],
    head(
      '指标编号 indicator',
      '指标 title',
      'Indicator',
      '单位 unit',
      '2020 基线 baseline',
      `${r.year} 数值 value`,
      '分子 numerator',
      '分母 denominator',
      '2025 目标 target',
      '评估 assessment',
      ...trendYears.map((y) => `${y}`),
    ),
    ...r.indicators.map((i) => [
      i.id,
      i.title['zh-CN'],
      i.title.en,
      UNIT[i.unit] ?? i.unit,
      num(i.baseline.value),
      num(i.value),
      i.figures.numerator,
      num(i.figures.denominator),
      `${i.target.comparator}${i.target.value}`,
      i.assessment,
      ...i.trend.map((p) => num(p.value)),
    ]),
  ];
  const tables = r.tables.map((tb) => {
    const refKeys = Object.keys(tb.rows[0]?.reference ?? {});
    const refTitle: Record<string, string> = {
      population: '常住人口 population',
      under3: '3 岁以下 under 3',
      births: '出生数 births',
    };
    const data: Row[] = [
      head(
        tb.dimension === 'township' ? '乡镇编号 township' : '机构编号 hospital',
        '名称 name',
        'Name',
        ...refKeys.map((k) => refTitle[k] ?? k),
        ...tb.columns.map((c) => `${c.title['zh-CN']} ${c.title.en}`),
      ),
      ...tb.rows.map((row) => [
        row.key,
        row.name['zh-CN'],
        row.name.en,
        ...refKeys.map((k) => num(row.reference[k])),
        ...row.values.map((v) => num(v.value)),
      ]),
    ];
    return { sheet: tb.dimension === 'township' ? '分乡镇 township' : '分助产机构 hospital', data };
  });
  const notes: Row[] = [
    head('指标 indicator', '数据来源', 'Data source'),
    ...r.notes.map((n) => [n.indicator, n.dataSource['zh-CN'], n.dataSource.en]),
    [],
    ...r.general.map((g) => ['', g['zh-CN'], g.en]),
    [],
    ['generatedAt', r.generatedAt],
  ];
  return [
    { sheet: '指标 indicators', data: indicators, stickyRowsCount: 2 },
    ...tables.map((t) => ({ ...t, stickyRowsCount: 1 })),
    { sheet: '说明 notes', data: notes },
  ];
}

export const yearlyXlsxName = (year: number) => `monitoring-report-${year}.xlsx`;

/** Writes the workbook and saves it as a file. */
export async function saveYearlyXlsx(r: Yearly): Promise<void> {
  const { default: writeXlsxFile } = await import('write-excel-file/browser');
  await writeXlsxFile(yearlySheets(r)).toFile(yearlyXlsxName(r.year));
}
