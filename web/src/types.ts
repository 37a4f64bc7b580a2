/**
 * The API's shapes as the console uses them: names for the types generated from the OpenAPI
 * document (api-types.ts, written by `npm run openapi` from the handlers' response schemas).
 * Nothing here is copied by hand; the one addition is the console's reading of the JSON Schema
 * documents the API publishes (service forms and step outputs), which the contract types loosely.
 */
import type { components, paths } from '../generated/api-types.ts';

export type Schemas = components['schemas'];
type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never;
/** The JSON success body of an operation (200, else 201). */
export type Reply<P extends keyof paths, M extends 'get' | 'post' | 'put'> = paths[P][M] extends {
  responses: infer Rs;
}
  ? Rs extends { 200: infer R }
    ? Json<R>
    : Rs extends { 201: infer R }
      ? Json<R>
      : never
  : never;

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  items?: JsonSchema;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  anyOf?: JsonSchema[];
  description?: string;
}

export type StepInfo = Omit<Schemas['ServiceInfo']['steps'][number], 'outputs'> & { outputs?: JsonSchema };
export type ServiceInfo = Omit<Schemas['ServiceInfo'], 'form' | 'steps'> & {
  form: JsonSchema;
  steps: StepInfo[];
};

type ReferenceItem = Reply<'/reference/{kind}', 'get'>['items'][number];
export interface Reference {
  townships: ReferenceItem[];
  hospitals: ReferenceItem[];
  agencies: ReferenceItem[];
  pickupPoints: ReferenceItem[];
}

export type StepStatus = Schemas['StepStatus'];
export type AppStatus = Schemas['ApplicationStatus'];
export type StepView = Schemas['StepView'];
export type StepReason = NonNullable<StepView['reason']>;
export type ApplicationView = Schemas['ApplicationView'];
export type WaitlistView = Schemas['WaitlistView'];
export type TaskItem = Schemas['TaskItem'];
export type DomainEvent = Schemas['DomainEvent'];

export type TimingRow = Schemas['ProcessingTimeRow'];
export type ProcessingTimes = Reply<'/reports/processing-times', 'get'>;
