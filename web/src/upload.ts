/**
 * Sends a file to the presigned URL the API handed out (documents, the agent's letter). XHR, not
 * fetch, so the caller can show progress; headers the browser sets itself (the length) are
 * skipped, every other signed header goes as given.
 */
export interface PresignedUpload {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/** Rejects with `UploadFailed` when the storage refuses the file or the network drops. */
export class UploadFailed extends Error {}

export function putFile(upload: PresignedUpload, file: File, onProgress?: (fraction: number) => void) {
  return new Promise<void>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(upload.method, upload.url);
    for (const [name, value] of Object.entries(upload.headers)) {
      if (name.toLowerCase() !== 'content-length') xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new UploadFailed(`storage ${xhr.status}`));
    xhr.onerror = () => reject(new UploadFailed('network'));
    xhr.send(file);
  });
}
