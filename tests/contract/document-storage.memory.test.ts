/** The DocumentStorage contract on the in-memory fake that the rehab-aid unit tests use. */
import { MemoryDocumentStorage } from '../support/rehab-memory-store.ts';
import { describeDocumentStorageContract } from './document-storage.contract.ts';

describeDocumentStorageContract('in memory', async () => {
  const storage = new MemoryDocumentStorage();
  return {
    storage,
    async upload(ticket, bytes) {
      storage.put(ticket.url.replace('memory://upload/', ''), bytes, ticket.headers['content-type'] ?? '');
    },
    async download(url) {
      return storage.objects.get(url.replace('memory://download/', ''))?.bytes ?? null;
    },
  };
});
