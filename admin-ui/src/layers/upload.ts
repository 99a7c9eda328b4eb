/**
 * A multipart upload with its progress (fetch reports none): XMLHttpRequest with the session's token and the
 * UI's language; a refusal is thrown in fetchUtils' shape ({ status, body }) so rejectionOf() reads it.
 */
import { sessionToken } from '../authProvider';
import { uiLanguage } from '../dataProvider';

export function uploadWithProgress(url: string, form: FormData, onProgress: (fraction: number) => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    const token = sessionToken();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept-Language', uiLanguage());
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject({ status: xhr.status, message: (body as { message?: string } | undefined)?.message ?? xhr.statusText, body });
    };
    xhr.onerror = () => reject({ status: 0, message: 'network error' });
    xhr.send(form);
  });
}
