import { ApiError, buildUrl, type QueryValue } from './api';
import { T } from './texts';

/** Where an upload is: sending the file (percent), then waiting while the server reads it. */
export type UploadStage = { stage: 'uploading'; percent: number } | { stage: 'parsing' };

/**
 * POSTs a multipart form like `request` (CSRF header, session cookie, problem+json → ApiError)
 * but over XMLHttpRequest, the one browser API that reports upload progress.
 */
export function uploadWithProgress<T>(path: string, opts: { query?: Record<string, QueryValue>; formData: FormData; okStatuses?: number[]; onStage?: (s: UploadStage) => void }): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', buildUrl(path, opts.query));
    xhr.withCredentials = true;
    xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onStage?.({ stage: 'uploading', percent: Math.round((e.loaded / e.total) * 100) });
    };
    xhr.upload.onload = () => opts.onStage?.({ stage: 'parsing' });
    xhr.onerror = () => reject(new ApiError(0, { code: 'network', title: T.errors.network }));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      if ((xhr.status >= 200 && xhr.status < 300) || opts.okStatuses?.includes(xhr.status)) resolve(body as T);
      else reject(new ApiError(xhr.status, body && typeof body === 'object' ? body : {}, body));
    };
    xhr.send(opts.formData);
  });
}
