/** The rehab-aid module's API shapes, named from the generated contract (web/generated/api-types.ts). */
import type { Reply, Schemas } from '../../types.ts';

/** Rehab aid: money is integer fen, months `YYYY-MM`. */
export type RehabInstitution = Schemas['RehabInstitution'];
export type RehabPlanView = Schemas['AidPlan'];
export type RehabClaim = Schemas['ServiceClaim'];
export type RehabPlanDetail = Reply<'/rehab/plans/{planId}', 'get'>;
export type RehabSettlement = Schemas['Settlement'];
export type RehabDocument = Reply<'/rehab/applications/{id}/documents', 'get'>['items'][number];
