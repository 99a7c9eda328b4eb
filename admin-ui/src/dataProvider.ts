/** react-admin simple-rest over /api, with the session token, the UI language, and task completion. */
import { fetchUtils, type DataProvider } from 'react-admin';
import simpleRestProvider from 'ra-data-simple-rest';
import { sessionToken } from './authProvider';

export const uiLanguage = () => (localStorage.getItem('RaStore.locale')?.includes('en') ? 'en' : 'zh-CN');

export const httpClient = (url: string, options: fetchUtils.Options = {}) => {
  const headers = new Headers(options.headers ?? { Accept: 'application/json' });
  const token = sessionToken();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  headers.set('Accept-Language', uiLanguage());
  return fetchUtils.fetchJson(url, { ...options, headers });
};

const base = simpleRestProvider('/api', httpClient);

export interface AppDataProvider extends DataProvider {
  completeTask(id: string, payload: unknown, idempotencyKey: string): Promise<{ data: unknown }>;
}

export const dataProvider: AppDataProvider = {
  ...base,
  async completeTask(id, payload, idempotencyKey) {
    const { json } = await httpClient(`/api/tasks/${encodeURIComponent(id)}/complete`, {
      method: 'POST',
      body: JSON.stringify(payload),
      headers: new Headers({ 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey }),
    });
    return { data: json };
  },
};
