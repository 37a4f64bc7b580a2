/** 出生"一件事"多证联办 Birth one-thing joint application: the module (see docs/architecture.md). */
import type { ServiceModule } from '#core/module';
import { birthRegistration } from './definition.ts';

/** The review chain is the whole service: no routes, stores or jobs of its own. */
export const birthRegistrationModule: ServiceModule = {
  definition: birthRegistration,
  /** the plan's indicators it feeds: indicators.ts (issue 17) */
  indicators: true,
  local: { demo: 'demo' },
};
