/** Saves a CSV the API answers (with the caller's token) as a file in the browser. */
import { api } from './api.ts';

export async function downloadCsv(path: string, fileName: string): Promise<void> {
  const text = await api<string>(path, { text: true });
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
