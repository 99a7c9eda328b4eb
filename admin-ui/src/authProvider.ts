/** Bearer sessions against /api/auth: the token and the user are kept in localStorage. */
import type { AuthProvider } from 'react-admin';

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: 'officer' | 'reviewer' | 'supervisor' | 'administrator';
  regionCode: string;
  regionName?: string;
  classified: boolean;
}

const TOKEN = 'wpzf.token';
const USER = 'wpzf.user';

export const sessionToken = () => localStorage.getItem(TOKEN);
export const sessionUser = (): SessionUser | undefined => {
  const raw = localStorage.getItem(USER);
  return raw ? (JSON.parse(raw) as SessionUser) : undefined;
};

export const authProvider: AuthProvider = {
  async login({ username, password }) {
    const res = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': localStorage.getItem('RaStore.locale')?.includes('en') ? 'en' : 'zh-CN' },
      body: JSON.stringify({ username, password }),
    });
    const body = await res.json().catch(() => ({}));
    // The server's message is in the UI's language; without one, react-admin translates the key.
    if (!res.ok) throw new Error(body.message ?? 'app.loginFailed');
    localStorage.setItem(TOKEN, body.token);
    localStorage.setItem(USER, JSON.stringify(body.user));
  },
  async logout() {
    const token = sessionToken();
    localStorage.removeItem(TOKEN);
    localStorage.removeItem(USER);
    if (token) await fetch('/api/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
  },
  async checkAuth() {
    if (!sessionToken()) throw new Error('not logged in');
  },
  async checkError(error) {
    if (error?.status === 401) {
      localStorage.removeItem(TOKEN);
      throw new Error('session expired');
    }
  },
  async getIdentity() {
    const user = sessionUser();
    if (!user) throw new Error('not logged in');
    return { ...user, fullName: user.displayName };
  },
  async getPermissions() {
    return sessionUser();
  },
};
