/** The service catalogue and reference data, fetched once per page load. */
import { useEffect, useState } from 'react';
import { api } from './api.ts';
import type { Reference, ServiceInfo } from './types.ts';

export interface Catalog {
  services: ServiceInfo[];
  reference: Reference;
}

let pending: Promise<Catalog> | null = null;

export function loadCatalog(): Promise<Catalog> {
  if (!pending) {
    const ref = <K extends keyof Reference>(kind: K) =>
      api<{ items: Reference[K] }>(`/reference/${kind}`, { anonymous: true }).then((r) => r.items);
    pending = Promise.all([
      api<{ items: ServiceInfo[] }>('/services', { anonymous: true }).then((r) => r.items),
      ref('townships'),
      ref('hospitals'),
      ref('agencies'),
      ref('pickupPoints'),
    ]).then(([services, townships, hospitals, agencies, pickupPoints]) => ({
      services,
      reference: { townships, hospitals, agencies, pickupPoints },
    }));
    pending.catch(() => {
      pending = null;
    });
  }
  return pending;
}

export function useCatalog(): { catalog: Catalog | null; error: unknown } {
  const [state, setState] = useState<{ catalog: Catalog | null; error: unknown }>({
    catalog: null,
    error: null,
  });
  useEffect(() => {
    let live = true;
    loadCatalog().then(
      (catalog) => live && setState({ catalog, error: null }),
      (error: unknown) => live && setState({ catalog: null, error }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

export const serviceOf = (c: Catalog, id: string) => c.services.find((s) => s.id === id);
export const stepOf = (c: Catalog, service: string, step: string) =>
  serviceOf(c, service)?.steps.find((s) => s.step === step);
export const agencyOf = (c: Catalog, id: string | undefined) => c.reference.agencies.find((a) => a.id === id);
export const townshipOf = (c: Catalog, id: string | undefined) =>
  c.reference.townships.find((a) => a.id === id);
