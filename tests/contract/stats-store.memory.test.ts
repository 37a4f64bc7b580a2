/** The StatsStore contract on the in-memory fake that analytics unit tests and benchmarks use. */
import { MemoryStatsStore } from '../support/memory-stats-store.ts';
import { describeStatsStoreContract } from './stats-store.contract.ts';

describeStatsStoreContract('in memory', async () => ({ store: new MemoryStatsStore() }));
