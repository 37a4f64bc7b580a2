/** The RehabStore contract on the in-memory fake that the rehab-aid unit tests use. */
import { MemoryRepository } from '../support/memory-repo.ts';
import { MemoryRehabStore } from '../support/rehab-memory-store.ts';
import { describeRehabStoreContract } from './rehab-store.contract.ts';

describeRehabStoreContract('in memory', async () => {
  const apps = new MemoryRepository();
  return { store: new MemoryRehabStore(apps), apps };
});
