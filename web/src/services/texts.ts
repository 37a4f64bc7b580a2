/**
 * The service modules' console texts, by service id: one line per module. Data only (no
 * components), so the kernel's string table and form hints can read it without loading pages.
 */
import { texts as birthRegistration } from './birth-registration/texts.ts';
import { texts as childLivingAllowance } from './child-living-allowance/texts.ts';
import { texts as childcareSlot } from './childcare-slot/texts.ts';
import { texts as rehabAid } from './rehab-aid/texts.ts';

export const moduleTexts = {
  'birth-registration': birthRegistration,
  'childcare-slot': childcareSlot,
  'rehab-aid': rehabAid,
  'child-living-allowance': childLivingAllowance,
};

/** Every module's UI strings in one table (typed: the console's `StringKey` includes them). */
export const moduleStrings = {
  ...childcareSlot.strings,
  ...rehabAid.strings,
  ...childLivingAllowance.strings,
};
