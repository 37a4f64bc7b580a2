/** Per-agency progress of an application: one entry per step with status, dates, outputs, reasons. */
import { agencyOf, type Catalog, stepOf } from '../catalog.ts';
import { hiddenOutputs, outputLabels, outputValues } from '../forms/hints.ts';
import type { FormModel } from '../forms/model.ts';
import { type Text, useI18n } from '../i18n.tsx';
import type { ApplicationView, StepReason, StepView } from '../types.ts';
import { StepBadge } from './Status.tsx';

/** One output value for people: Text objects in the UI language, yes/no, amounts in yuan. */
function outputText(
  key: string,
  value: unknown,
  tx: (x: Text) => string,
  t: ReturnType<typeof useI18n>['t'],
): string {
  if (value && typeof value === 'object' && 'zh-CN' in value) return tx(value as Text);
  if (typeof value === 'boolean') return t(value ? 'yes' : 'no');
  if (key.endsWith('Fen') && typeof value === 'number') return `¥${(value / 100).toFixed(2)}`;
  const word = outputValues[key]?.[String(value)];
  return word ? tx(word) : String(value);
}

export function reasonTexts(
  step: StepView,
  catalog: Catalog,
  service: string,
  tx: (x: Text) => string,
): string[] {
  const r = step.reason;
  if (!r) return [];
  if (typeof r === 'string') return [r];
  const reason = r as StepReason;
  const out: string[] = [];
  const coded = reason.code ? stepOf(catalog, service, step.step)?.rejectReasons?.[reason.code] : undefined;
  if (coded) out.push(tx(coded));
  else if (reason.text?.length) out.push(...reason.text.map(tx));
  else if (reason.code && reason.code !== 'other') out.push(reason.code);
  if (reason.note) out.push(reason.note);
  return out;
}

export function fieldLabel(model: FormModel | null, path: string, tx: (x: Text) => string): string {
  if (!model) return path;
  const f = model.fields.find((x) => x.path === path);
  if (f) {
    const section = model.sections.find((s) => s.key === f.section);
    return section && section.fields.length > 1 ? `${tx(section.title)} · ${tx(f.label)}` : tx(f.label);
  }
  const s = model.sections.find((x) => x.key === path);
  return s ? tx(s.title) : path;
}

export function Timeline({
  app,
  catalog,
  model,
}: {
  app: ApplicationView;
  catalog: Catalog;
  model: FormModel | null;
}) {
  const { t, tx, dt } = useI18n();
  return (
    <ol className="timeline">
      {app.steps.map((s) => {
        const agency = agencyOf(catalog, s.agency);
        const reasons = reasonTexts(s, catalog, app.service, tx);
        const outputs = Object.entries(s.outputs ?? {}).filter(([k]) => !hiddenOutputs.has(k));
        return (
          <li key={s.step} className={`tl-item tl-${s.status}`}>
            <div className="tl-head">
              <h3>{tx(s.title)}</h3>
              <StepBadge status={s.status} />
            </div>
            <p className="muted">
              {s.kind === 'auto' ? t('timeline.auto') : agency ? tx(agency.name) : (s.agency ?? '')}
            </p>
            <dl className="kv compact">
              {s.openedAt ? (
                <div>
                  <dt>{t('timeline.opened')}</dt>
                  <dd>{dt(s.openedAt)}</dd>
                </div>
              ) : null}
              {s.dueAt && !s.decidedAt ? (
                <div>
                  <dt>{t('timeline.due')}</dt>
                  <dd>
                    {dt(s.dueAt)}
                    {s.slaProvisional ? ` ${t('timeline.provisional')}` : ''}
                  </dd>
                </div>
              ) : null}
              {s.decidedAt ? (
                <div>
                  <dt>{t('timeline.decided')}</dt>
                  <dd>{dt(s.decidedAt)}</dd>
                </div>
              ) : null}
              {outputs.map(([k, v]) => (
                <div key={k}>
                  <dt>{outputLabels[k] ? tx(outputLabels[k]) : k}</dt>
                  <dd className="mono">{outputText(k, v, tx, t)}</dd>
                </div>
              ))}
            </dl>
            {reasons.length ? (
              <div className={s.status === 'rejected' ? 'alert error' : 'alert info'}>
                <strong>{t('timeline.reason')}</strong>
                <ul>
                  {reasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              </div>
            ) : null}
            {s.status === 'info-requested' ? (
              <div className="alert warn">
                <strong>{t('timeline.infoRequested')}</strong>
                {s.infoNote ? <p>{s.infoNote}</p> : null}
                {s.infoFields?.length ? (
                  <p>
                    {t('timeline.infoFields')}
                    {s.infoFields.map((f) => fieldLabel(model, f, tx)).join('、')}
                  </p>
                ) : null}
              </div>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
