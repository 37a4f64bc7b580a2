/**
 * The childcare-slot module's console components: the offer to answer, the waitlist and the
 * round (loaded on first use: console.ts).
 */
import { useI18n } from '../../i18n.tsx';
import type { ConsoleModule, ParentPanelProps } from '../module.ts';
import { ChildcareIndicators } from './Indicators.tsx';
import { OfferResponse } from './OfferResponse.tsx';
import { Waitlist } from './Waitlist.tsx';

function ParentPanels({ app, onChange }: ParentPanelProps) {
  const { t } = useI18n();
  return (
    <>
      {app.steps
        .filter((s) => s.kind === 'applicant' && s.status === 'open')
        .map((s) => (
          <OfferResponse
            key={s.step}
            app={app}
            step={s}
            onDone={(next, response) =>
              onChange(next, t(response === 'accept' ? 'offer.accepted' : 'offer.declined'))
            }
          />
        ))}
      <Waitlist app={app} />
    </>
  );
}

export const childcareSlotConsole: ConsoleModule = {
  ParentPanels,
  CasePanels: ({ app }) => <Waitlist app={app} />,
  Indicators: ChildcareIndicators,
};
