/** The ApplicationRepository contract on the in-memory fake that core unit tests use. */
import { MemoryRepository } from '../support/memory-repo.ts';
import { describeApplicationRepositoryContract } from './applications.contract.ts';

describeApplicationRepositoryContract('in memory', async () => ({ repo: new MemoryRepository() }));
