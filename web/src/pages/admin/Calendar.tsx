/**
 * The admin's working-day calendar at `/admin/holidays` (`/admin/calendar` is the API's route,
 * on the same origin locally): which years have holiday data and which
 * do not (a year without one counts weekdays only, so it is shown as a warning), and a form to
 * enter a year's days off and 调休 working days as the State Council publishes them. Field errors
 * from the API (a date that is not one, a date outside the year) are shown at their field.
 */

import { type FormEvent, type ReactNode, useCallback, useEffect, useState } from 'react';
import { ApiError, api, errorText, type FieldError } from '../../api.ts';
import { ErrorSummary, type SummaryItem } from '../../components/ErrorSummary.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { useI18n } from '../../i18n.tsx';
import type { Reply } from '../../types.ts';

type CalendarReply = Reply<'/admin/calendar', 'get'>;
type SavedReply = Reply<'/admin/calendar/{year}', 'put'>;

const dates = (text: string) =>
  text
    .split(/[\s,，;；]+/)
    .map((d) => d.trim())
    .filter(Boolean);

const fieldIds = { year: 'cal-year', holidays: 'cal-holidays', workdays: 'cal-workdays' } as const;
type FieldName = keyof typeof fieldIds;
/** `holidays.3`, `query.year`, `year` → the field */
const fieldOf = (path: string): FieldName | undefined => {
  const name = path.replace(/^(body|params|query)\./, '').split('.')[0];
  return name === 'year' || name === 'holidays' || name === 'workdays' ? name : undefined;
};

export function Calendar() {
  const { t, tx } = useI18n();
  const [info, setInfo] = useState<CalendarReply | null>(null);
  const [error, setError] = useState('');
  const [year, setYear] = useState(String(new Date(Date.now() + 8 * 3600_000).getUTCFullYear() + 1));
  const [holidays, setHolidays] = useState('');
  const [workdays, setWorkdays] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [saved, setSaved] = useState('');

  const load = useCallback(async () => {
    try {
      setInfo(await api<CalendarReply>('/admin/calendar'));
    } catch (err) {
      setError(errorText(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setBusy(true);
    setErrors([]);
    setSaved('');
    setError('');
    try {
      const r = await api<SavedReply>(`/admin/calendar/${encodeURIComponent(year.trim() || '-')}`, {
        method: 'PUT',
        body: { holidays: dates(holidays), workdays: dates(workdays) },
      });
      setSaved(t('cal.saved', { year: r.year, holidays: r.holidays, workdays: r.workdays }));
      await load();
    } catch (err) {
      if (err instanceof ApiError && err.fields.length > 0) setErrors(err.fields);
      else setError(errorText(err));
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  /** `holidays.1` names the date it is about */
  const message = (e: FieldError) => {
    const text = e.messages ? tx(e.messages) : e.message;
    const m = /^(?:body\.)?(holidays|workdays)\.(\d+)$/.exec(e.path);
    const date = m ? dates(m[1] === 'holidays' ? holidays : workdays)[Number(m[2])] : undefined;
    return date ? `${date}: ${text}` : text;
  };
  const errorsAt = (name: FieldName) => errors.filter((e) => fieldOf(e.path) === name);
  const labels: Record<FieldName, string> = {
    year: t('cal.year'),
    holidays: t('cal.holidays'),
    workdays: t('cal.workdays'),
  };
  const summary: SummaryItem[] = errors.map((e, i) => {
    const f = fieldOf(e.path);
    return {
      key: `${e.path}-${String(i)}`,
      label: f ? labels[f] : '',
      message: message(e),
      ...(f ? { target: fieldIds[f] } : {}),
    };
  });
  const field = (name: FieldName, input: (props: Record<string, unknown>) => ReactNode, help?: string) => {
    const own = errorsAt(name);
    const id = fieldIds[name];
    const describedBy = [help ? `${id}-help` : '', own.length ? `${id}-error` : ''].filter(Boolean).join(' ');
    return (
      <div className={`field${own.length ? ' has-error' : ''}`}>
        <label htmlFor={id}>{labels[name]}</label>
        {help ? (
          <p className="help" id={`${id}-help`}>
            {help}
          </p>
        ) : null}
        {input({
          id,
          'aria-describedby': describedBy || undefined,
          'aria-invalid': own.length ? true : undefined,
        })}
        {own.length ? (
          <p className="field-error" id={`${id}-error`}>
            <span aria-hidden="true">⚠ </span>
            {own.map(message).join('；')}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <div className="narrow">
      <PageTitle sub={t('cal.lead')}>{t('cal.title')}</PageTitle>
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
      {info ? (
        <section className="card" aria-label={t('cal.title')} data-testid="cal-status">
          <p>{t('cal.covered', { years: info.coveredYears.join('、') })}</p>
          {info.missingYears.length ? (
            <p className="alert warn" data-testid="cal-missing">
              {t('cal.missing', { years: info.missingYears.join('、') })}
            </p>
          ) : (
            <p className="alert success">{t('cal.complete')}</p>
          )}
        </section>
      ) : error ? null : (
        <p aria-live="polite">{t('loading')}</p>
      )}
      <section className="card" aria-labelledby="cal-form">
        <h2 id="cal-form">{t('cal.form')}</h2>
        <form noValidate onSubmit={(e) => void submit(e)}>
          <ErrorSummary items={summary} focusKey={attempt} />
          {field('year', (p) => (
            <input
              {...p}
              type="text"
              inputMode="numeric"
              value={year}
              onChange={(e) => setYear(e.target.value)}
            />
          ))}
          {field(
            'holidays',
            (p) => (
              <textarea
                {...p}
                rows={6}
                className="mono"
                spellCheck={false}
                value={holidays}
                onChange={(e) => setHolidays(e.target.value)}
              />
            ),
            t('cal.datesHelp'),
          )}
          {field(
            'workdays',
            (p) => (
              <textarea
                {...p}
                rows={3}
                className="mono"
                spellCheck={false}
                value={workdays}
                onChange={(e) => setWorkdays(e.target.value)}
              />
            ),
            t('cal.datesHelp'),
          )}
          {saved ? (
            <p className="alert success" role="status" data-testid="cal-saved">
              {saved}
            </p>
          ) : null}
          <button type="submit" className="button" disabled={busy} aria-busy={busy}>
            {t('cal.save')}
          </button>
        </form>
      </section>
    </div>
  );
}

export default Calendar;
