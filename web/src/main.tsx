/**
 * Console entry: reads the runtime configuration (/config.json on AWS; none locally) before the
 * first render, so the sign-in page, the API client and sign-out know which mode they are in.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { initRuntimeConfig } from './auth/config.ts';
import { installHostedSession } from './auth/flow.ts';
import { I18nProvider } from './i18n.tsx';
import './styles.css';

void initRuntimeConfig().then(() => {
  installHostedSession();
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <I18nProvider>
        <App />
      </I18nProvider>
    </StrictMode>,
  );
});
