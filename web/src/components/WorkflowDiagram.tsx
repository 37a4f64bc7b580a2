/**
 * The service's workflow drawn from the steps' `needs` (the same graph as the catalogue's Mermaid
 * text, without shipping Mermaid): one column per depth, arrows from each need. In the case view
 * the nodes are coloured by status, with the status also written in the node and the summary.
 */
import { useId } from 'react';
import { useI18n } from '../i18n.tsx';
import { stepStatusLabel } from '../status.ts';
import type { StepInfo, StepStatus } from '../types.ts';
import { ScrollRegion } from './ScrollRegion.tsx';

const W = 160;
const H = 64;
const COL = 56;
const ROW = 18;
const PAD = 12;

const tone: Record<string, { fill: string; stroke: string }> = {
  done: { fill: '#e7f5ec', stroke: '#1e6b3a' },
  open: { fill: '#e8f0fc', stroke: '#1d4ed8' },
  claimed: { fill: '#e8f0fc', stroke: '#1d4ed8' },
  'info-requested': { fill: '#fdf3e1', stroke: '#8a5300' },
  rejected: { fill: '#fde8e8', stroke: '#b42318' },
  pending: { fill: '#ffffff', stroke: '#5b6472' },
  skipped: { fill: '#f3f4f6', stroke: '#5b6472' },
  cancelled: { fill: '#f3f4f6', stroke: '#5b6472' },
};

function wrap(text: string, lang: string, max = lang === 'en' ? 20 : 10): string[] {
  if (lang !== 'en') {
    const out: string[] = [];
    for (let i = 0; i < text.length; i += max) out.push(text.slice(i, i + max));
    return out.slice(0, 2);
  }
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (`${line} ${word}`.trim().length > max && line) {
      lines.push(line);
      line = word;
    } else line = `${line} ${word}`.trim();
  }
  if (line) lines.push(line);
  return lines.slice(0, 2);
}

export function WorkflowDiagram({
  steps,
  statuses,
  title,
}: {
  steps: StepInfo[];
  statuses?: Record<string, StepStatus>;
  title?: string;
}) {
  const { t, tx, lang } = useI18n();
  const uid = `wf${useId().replace(/[^\w-]/g, '')}`;
  const depth = new Map<string, number>();
  const depthOf = (name: string, seen = new Set<string>()): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (seen.has(name)) return 0;
    seen.add(name);
    const step = steps.find((s) => s.step === name);
    const d = step?.needs.length ? 1 + Math.max(...step.needs.map((n) => depthOf(n, seen))) : 0;
    depth.set(name, d);
    return d;
  };
  for (const s of steps) depthOf(s.step);
  const columns: StepInfo[][] = [];
  for (const s of steps) {
    const d = depth.get(s.step) ?? 0;
    columns[d] = [...(columns[d] ?? []), s];
  }
  const maxRows = Math.max(1, ...columns.map((c) => c?.length ?? 0));
  const height = PAD * 2 + maxRows * H + (maxRows - 1) * ROW;
  const width = PAD * 2 + columns.length * W + (columns.length - 1) * COL;
  const pos = new Map<string, { x: number; y: number }>();
  columns.forEach((col, ci) => {
    const colHeight = col.length * H + (col.length - 1) * ROW;
    const top = (height - colHeight) / 2;
    col.forEach((s, ri) => {
      pos.set(s.step, { x: PAD + ci * (W + COL), y: top + ri * (H + ROW) });
    });
  });
  const titleOf = (name: string) => tx(steps.find((s) => s.step === name)?.title) || name;
  const summary = steps
    .map((s) => {
      const st = statuses?.[s.step];
      const needs = s.needs.length ? `${t('wf.after')} ${s.needs.map(titleOf).join('、')}` : t('wf.first');
      return `${titleOf(s.step)}（${needs}${st ? `；${tx(stepStatusLabel(st))}` : ''}）`;
    })
    .join('；');
  const titleId = `${uid}-title`;
  const descId = `${uid}-desc`;
  return (
    <ScrollRegion className="diagram" label={title ?? t('wf.title')}>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        style={{ maxWidth: '100%', height: 'auto', minWidth: Math.min(width, 560) }}
      >
        <title id={titleId}>{title ?? t('wf.title')}</title>
        <desc id={descId}>{summary}</desc>
        <defs>
          <marker
            id={`${uid}-arrow`}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" fill="#4b5563" />
          </marker>
        </defs>
        {steps.flatMap((s) =>
          s.needs.map((n) => {
            const a = pos.get(n);
            const b = pos.get(s.step);
            if (!a || !b) return null;
            const x1 = a.x + W;
            const y1 = a.y + H / 2;
            const x2 = b.x - 2;
            const y2 = b.y + H / 2;
            const mid = (x1 + x2) / 2;
            return (
              <path
                key={`${n}->${s.step}`}
                d={`M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`}
                fill="none"
                stroke="#4b5563"
                strokeWidth="1.5"
                markerEnd={`url(#${uid}-arrow)`}
              />
            );
          }),
        )}
        {steps.map((s) => {
          const p = pos.get(s.step);
          if (!p) return null;
          const st = statuses?.[s.step];
          const c = tone[st ?? 'pending'] ?? { fill: '#ffffff', stroke: '#5b6472' };
          const lines = wrap(tx(s.title), lang);
          return (
            <g key={s.step}>
              <rect
                x={p.x}
                y={p.y}
                width={W}
                height={H}
                rx="8"
                fill={c.fill}
                stroke={c.stroke}
                strokeWidth={st === 'open' || st === 'claimed' ? 2.5 : 1.5}
                strokeDasharray={st === 'skipped' || st === 'cancelled' ? '4 3' : undefined}
              />
              {lines.map((line, i) => (
                <text
                  key={line}
                  x={p.x + W / 2}
                  y={p.y + 20 + i * 16}
                  textAnchor="middle"
                  fontSize="13"
                  fontWeight="600"
                  fill="#111827"
                >
                  {line}
                </text>
              ))}
              <text x={p.x + W / 2} y={p.y + H - 9} textAnchor="middle" fontSize="11.5" fill="#374151">
                {st ? tx(stepStatusLabel(st)) : s.kind === 'auto' ? t('wf.auto') : (s.agency ?? '')}
              </text>
            </g>
          );
        })}
      </svg>
    </ScrollRegion>
  );
}
