/** The ApplicationRepository contract on the in-memory fake that core unit tests use. */
import { intakePool } from '#services/childcare-slot/classes';
import { MemoryRepository } from '../support/memory-repo.ts';
import { describeApplicationRepositoryContract } from './applications.contract.ts';

describeApplicationRepositoryContract('in memory', async () => {
  const repo = new MemoryRepository();
  return {
    repo,
    async openRoundIntake(org, term, capacity, deadline) {
      const ref = { org, pool: intakePool(term, 'toddler') };
      repo.pools.define({ ...ref, capacity, round: { id: term, deadline } });
      const round = await repo.pools.getRound('childcare-slot', term);
      repo.pools.defineRound({
        service: 'childcare-slot',
        id: term,
        deadline,
        status: 'open',
        pools: [...(round?.pools ?? []), ref],
      });
      return ref;
    },
  };
});
