/**
 * Rehab-aid direct settlement for staff: a designated institution files a monthly claim for each
 * child it serves (`POST /rehab/plans/{planId}/claims`); the city DPF approves or rejects filed
 * claims (`…/claims/{claimId}/decision`) and sees each month's settlement per institution. The
 * server enforces caps, months and who may do what; this page shows its answers.
 */
import {
  type FormEvent,
  type InputHTMLAttributes,
  type ReactNode,
  useCallback,
  useEffect,
  useState,
} from 'react';
import { api, errorText } from '../../api.ts';
import { Alerts } from '../../components/Alerts.tsx';
import { yuan } from '../../components/money.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ScrollRegion } from '../../components/ScrollRegion.tsx';
import { useI18n } from '../../i18n.tsx';
import { useLatest } from '../../latest.ts';
import { useSession } from '../../session.ts';
import type { RehabClaim, RehabPlanView, RehabSettlement } from './types.ts';

/** The coded reasons the API accepts for a rejected claim (RehabService.claimRejectReasons). */
const CLAIM_REASONS = ['sessions-not-verified', 'amount-incorrect', 'outside-plan', 'duplicate'] as const;
/** What an institution can claim besides a month of training (the API's one-off items). */
const ITEMS = [
  'cochlear-implant',
  'hearing-aid',
  'corrective-surgery',
  'wheelchair',
  'orthosis',
  'low-vision-aid',
] as const satisfies readonly NonNullable<RehabClaim['item']>[];
const thisMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

export function RehabDesk() {
  const { t } = useI18n();
  const agency = useSession()?.user.agency ?? '';
  const institution = agency.startsWith('rehab-institution:')
    ? agency.slice('rehab-institution:'.length)
    : '';
  return (
    <div>
      <PageTitle sub={t('desk.lead')}>{t('desk.title')}</PageTitle>
      {institution ? (
        <InstitutionClaims />
      ) : agency === 'dpf-city' ? (
        <CityClaims />
      ) : (
        <p>{t('desk.notYours')}</p>
      )}
    </div>
  );
}

function InstitutionClaims() {
  const { t } = useI18n();
  const [plans, setPlans] = useState<RehabPlanView[] | null>(null);
  const [chosen, setChosen] = useState('');
  const [claims, setClaims] = useState<RehabClaim[]>([]);
  const [month, setMonth] = useState(thisMonth());
  const [kind, setKind] = useState<'training' | (typeof ITEMS)[number]>('training');
  const [sessions, setSessions] = useState('');
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<{ items: RehabPlanView[] }>('/rehab/plans').then(
      (r) => setPlans(r.items.filter((p) => p.status === 'active')),
      (err: unknown) => setError(errorText(err)),
    );
  }, []);
  const latestClaims = useLatest();
  const loadClaims = useCallback(
    async (planId: string) => {
      const current = latestClaims();
      if (!planId) return setClaims([]);
      const detail = await api<{ claims: RehabClaim[] }>(`/rehab/plans/${planId}`).catch((err: unknown) => {
        if (current()) setError(errorText(err));
        return { claims: [] };
      });
      if (current()) setClaims(detail.claims);
    },
    [latestClaims],
  );
  useEffect(() => {
    void loadClaims(chosen);
  }, [chosen, loadClaims]);

  const plan = plans?.find((p) => p.planId === chosen);
  const file = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    setNotice('');
    const amountFen = Math.round(Number(amount) * 100);
    if (!plan) return setError(t('desk.choosePlan'));
    const training = kind === 'training';
    if (training && (!Number.isInteger(Number(sessions)) || Number(sessions) < 1)) {
      return setError(t('desk.badSessions'));
    }
    if (!(amountFen > 0)) return setError(t('desk.badAmount'));
    setBusy(true);
    try {
      await api(`/rehab/plans/${plan.planId}/claims`, {
        method: 'POST',
        body: {
          month,
          ...(training ? { sessions: Number(sessions) } : { item: kind }),
          amountFen,
          ...(note.trim() ? { note: note.trim() } : {}),
        },
      });
      setNotice(t('desk.filed', { month, amount: yuan(amountFen) }));
      setSessions('');
      setAmount('');
      setNote('');
      await loadClaims(plan.planId);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Alerts error={error} notice={notice} />
      <section className="card" aria-labelledby="plans-title">
        <h2 id="plans-title">{t('desk.plans')}</h2>
        {plans === null && !error ? <p role="status">{t('loading')}</p> : null}
        {plans?.length === 0 ? <p>{t('desk.noPlans')}</p> : null}
        {plans?.length ? (
          <form onSubmit={file} noValidate className="claim-form">
            <div className="field">
              <label htmlFor="claim-plan">{t('desk.child')}</label>
              <select id="claim-plan" value={chosen} onChange={(e) => setChosen(e.target.value)}>
                <option value="">{t('choose')}</option>
                {plans.map((p) => (
                  <option key={p.planId} value={p.planId}>
                    {p.label} · {p.year}
                  </option>
                ))}
              </select>
            </div>
            {plan ? (
              <p className="muted" data-testid="plan-caps">
                {t('desk.caps', {
                  monthly: yuan(plan.monthlyCapFen),
                  yearly: yuan(plan.yearlyCapFen),
                  sessions: plan.sessionsPerMonth,
                })}
              </p>
            ) : null}
            <TextField
              id="claim-month"
              label={t('desk.month')}
              type="month"
              value={month}
              onChange={setMonth}
            />
            <div className="field">
              <label htmlFor="claim-kind">{t('desk.claimKind')}</label>
              <select
                id="claim-kind"
                value={kind}
                onChange={(e) => setKind(e.target.value as typeof kind)}
                aria-describedby="claim-kind-note"
              >
                <option value="training">{t('desk.kind.training')}</option>
                {ITEMS.map((i) => (
                  <option key={i} value={i}>
                    {t(`desk.item.${i}`)}
                  </option>
                ))}
              </select>
              <p id="claim-kind-note" className="muted">
                {t('desk.itemNote')}
              </p>
            </div>
            {kind === 'training' ? (
              <TextField
                id="claim-sessions"
                label={t('desk.sessions')}
                inputMode="numeric"
                value={sessions}
                onChange={setSessions}
              />
            ) : null}
            <TextField
              id="claim-amount"
              label={t('desk.amount')}
              inputMode="decimal"
              value={amount}
              onChange={setAmount}
            />
            <TextField
              id="claim-note"
              label={t('desk.note')}
              maxLength={500}
              value={note}
              onChange={setNote}
            />
            <p>
              <button type="submit" className="button" disabled={busy}>
                {t('desk.file')}
              </button>
            </p>
          </form>
        ) : null}
      </section>
      {plan ? <ClaimTable title={t('desk.claimsOfChild')} claims={claims} /> : null}
    </>
  );
}

/** A labelled single-line input of this page's forms. */
function TextField({
  id,
  label,
  onChange,
  ...input
}: { id: string; label: string; onChange(value: string): void } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'id' | 'onChange'
>) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} {...input} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

function ClaimTable({
  title,
  claims,
  actions,
}: {
  title: string;
  claims: RehabClaim[];
  actions?: (c: RehabClaim) => ReactNode;
}) {
  const { t } = useI18n();
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      {claims.length === 0 ? <p>{t('desk.noClaims')}</p> : null}
      {claims.length ? (
        <ScrollRegion className="table-wrap" label={title}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('desk.child')}</th>
                <th scope="col">{t('desk.month')}</th>
                <th scope="col" className="num">
                  {t('desk.sessions')}
                </th>
                <th scope="col" className="num">
                  {t('desk.amount')}
                </th>
                <th scope="col">{t('desk.status')}</th>
                {actions ? <th scope="col">{t('desk.actions')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {claims.map((c) => (
                <tr key={c.claimId} data-claim={c.claimId} data-status={c.status}>
                  <th scope="row">{c.label}</th>
                  <td>{c.month}</td>
                  <td className="num">{c.item ? t(`desk.item.${c.item}`) : c.sessions}</td>
                  <td className="num">{yuan(c.approvedFen ?? c.amountFen)}</td>
                  <td>{t(`desk.claim.${c.status}`)}</td>
                  {actions ? <td>{actions(c)}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : null}
    </section>
  );
}

function CityClaims() {
  const { t } = useI18n();
  const [claims, setClaims] = useState<RehabClaim[]>([]);
  const [settlements, setSettlements] = useState<RehabSettlement[]>([]);
  const [month, setMonth] = useState(thisMonth());
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState('');
  const [rejecting, setRejecting] = useState<{ claimId: string; reason: string } | null>(null);

  const latest = useLatest();
  const load = useCallback(async () => {
    const current = latest();
    try {
      const [filed, settled] = await Promise.all([
        api<{ items: RehabClaim[] }>('/rehab/claims?status=filed'),
        api<{ items: RehabSettlement[] }>(`/rehab/settlements?month=${month}`),
      ]);
      if (!current()) return;
      setClaims(filed.items);
      setSettlements(settled.items);
    } catch (err) {
      if (current()) setError(errorText(err));
    }
  }, [month, latest]);
  useEffect(() => {
    void load();
  }, [load]);

  const decide = async (c: RehabClaim, decision: 'approve' | 'reject', reason?: string) => {
    setBusy(c.claimId);
    setError('');
    setNotice('');
    try {
      await api(`/rehab/plans/${c.planId}/claims/${c.claimId}/decision`, {
        method: 'POST',
        body: { decision, ...(reason ? { reason } : {}) },
      });
      setNotice(t(decision === 'approve' ? 'desk.approved' : 'desk.rejected', { child: c.label }));
      setRejecting(null);
      await load();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy('');
    }
  };

  return (
    <>
      <Alerts error={error} notice={notice} />
      <ClaimTable
        title={t('desk.filedClaims')}
        claims={claims}
        actions={(c) =>
          rejecting?.claimId === c.claimId ? (
            <span className="actions">
              <label className="visually-hidden" htmlFor={`reason-${c.claimId}`}>
                {t('desk.reason')}
              </label>
              <select
                id={`reason-${c.claimId}`}
                value={rejecting.reason}
                onChange={(e) => setRejecting({ claimId: c.claimId, reason: e.target.value })}
              >
                <option value="">{t('desk.reason')}</option>
                {CLAIM_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {t(`desk.reason.${r}`)}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="button small danger"
                disabled={!rejecting.reason || busy === c.claimId}
                onClick={() => void decide(c, 'reject', rejecting.reason)}
              >
                {t('desk.confirmReject')}
              </button>
              <button type="button" className="button small secondary" onClick={() => setRejecting(null)}>
                {t('cancel')}
              </button>
            </span>
          ) : (
            <span className="actions">
              <button
                type="button"
                className="button small"
                disabled={busy === c.claimId}
                onClick={() => void decide(c, 'approve')}
                aria-label={`${t('desk.approve')}：${c.label} ${c.month}`}
              >
                {t('desk.approve')}
              </button>
              <button
                type="button"
                className="button small secondary"
                disabled={busy === c.claimId}
                onClick={() => setRejecting({ claimId: c.claimId, reason: '' })}
                aria-label={`${t('desk.reject')}：${c.label} ${c.month}`}
              >
                {t('desk.reject')}
              </button>
            </span>
          )
        }
      />
      <section className="card" aria-labelledby="settlements-title">
        <h2 id="settlements-title">{t('desk.settlements')}</h2>
        <TextField
          id="settle-month"
          label={t('desk.settleMonth')}
          type="month"
          value={month}
          onChange={setMonth}
        />
        {settlements.length === 0 ? <p>{t('desk.noSettlements')}</p> : null}
        {settlements.length ? (
          <ScrollRegion className="table-wrap" label={t('desk.settlements')}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('desk.institution')}</th>
                  <th scope="col" className="num">
                    {t('desk.claimCount')}
                  </th>
                  <th scope="col" className="num">
                    {t('desk.total')}
                  </th>
                  <th scope="col">{t('desk.status')}</th>
                </tr>
              </thead>
              <tbody>
                {settlements.map((s) => (
                  <tr key={s.institution} data-institution={s.institution}>
                    <th scope="row">{s.institution}</th>
                    <td className="num">{s.claimCount}</td>
                    <td className="num">{yuan(s.totalFen)}</td>
                    <td>{t(`desk.settlement.${s.status}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        ) : null}
      </section>
    </>
  );
}
