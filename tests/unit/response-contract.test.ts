/**
 * The reply check every test run applies (ONESTOP_CHECK_RESPONSES=1, vitest.config.ts): a reply
 * outside its route's response schema is a contract break (a 500), reported by path and code
 * only, since a reply may hold personal data.
 */

import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { checkReply, ResponseContractError, route } from '#shared/http';

const view = route({
  response: z.object({ id: z.string(), status: z.enum(['open', 'waiting']) }),
  run: async () => ({ body: { id: 'A', status: 'open' as const } }),
});

describe('response contract', () => {
  it('accepts a reply that matches the route’s response schema', () => {
    expect(() => checkReply('GET /x', view.response, { body: { id: 'A', status: 'waiting' } })).not.toThrow();
  });

  it('refuses a reply outside the schema, naming the path and never the value', () => {
    const reply = { body: { id: '330382202401010012', status: 'lost' } as never };
    let thrown: unknown;
    try {
      checkReply('GET /x', view.response, reply);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ResponseContractError);
    expect((thrown as Error).message).toContain('status: invalid_value');
    expect((thrown as Error).message).not.toContain('lost');
  });

  it('leaves CSV replies and empty bodies alone', () => {
    expect(() =>
      checkReply('GET /x', view.response, { raw: { contentType: 'text/csv', text: 'a,b' } }),
    ).not.toThrow();
    expect(() => checkReply('GET /x', view.response, { status: 204 })).not.toThrow();
  });

  it('is switched on for every test run (unit, integration, and the runtimes e2e and browser tests start)', () => {
    expect(process.env.ONESTOP_CHECK_RESPONSES).toBe('1');
  });
});
