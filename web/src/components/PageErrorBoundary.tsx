/**
 * Catches what a page throws while rendering, so one page's fault never blanks the console: the
 * banner and navigation stay, the page says in zh-CN and English that something went wrong and
 * nothing saved was lost, shows the request id when the fault came from an API reply, and offers
 * a retry (the page is mounted afresh and loads again).
 */
import { Component, type ErrorInfo, Fragment, type ReactNode } from 'react';
import { ApiError } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { PageTitle } from './PageTitle.tsx';

interface State {
  error: unknown;
  attempt: number;
}

export class PageErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null, attempt: 0 };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error ?? new Error('unknown') };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    // The console has no log sink of its own; the browser console keeps the stack for support.
    console.error('page failed', error, info.componentStack);
  }

  private retry = () => this.setState((s) => ({ error: null, attempt: s.attempt + 1 }));

  override render() {
    if (this.state.error) return <PageFailed error={this.state.error} onRetry={this.retry} />;
    return <Fragment key={this.state.attempt}>{this.props.children}</Fragment>;
  }
}

function PageFailed({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useI18n();
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div className="narrow" data-testid="page-failed">
      <PageTitle>{t('pageFailed.title')}</PageTitle>
      <div className="alert error" role="alert">
        <p>{t('pageFailed.lead')}</p>
        {requestId ? (
          <p>
            {t('pageFailed.requestId')} <code>{requestId}</code>
          </p>
        ) : null}
      </div>
      <p>
        <button type="button" className="button" onClick={onRetry}>
          {t('pageFailed.retry')}
        </button>
      </p>
    </div>
  );
}
