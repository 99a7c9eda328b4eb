/**
 * The password policy, applied wherever a password is set (a new user, an administrator's reset, a user's
 * own change): at least 8 characters, letters and digits, not a common password, not containing the
 * username. Plain functions (no zod) so the schemas, the API and the UI share them.
 */

export interface PasswordProblem {
  code: 'password_too_short' | 'password_too_long' | 'password_needs_letters_and_digits' | 'password_too_common' | 'password_contains_username';
  message: string;
  messageEn: string;
  params?: Record<string, unknown>;
}

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 100;

/**
 * Passwords that guessing tries first (lists of leaked passwords, Chinese sites included), compared in
 * lower case. A password made only of one of these plus a year or a repeated digit counts too.
 */
const COMMON = new Set(
  [
    '12345678',
    '123456789',
    '1234567890',
    '87654321',
    '11111111',
    '88888888',
    '66666666',
    '00000000',
    '12341234',
    '11223344',
    'password',
    'password1',
    'password12',
    'password123',
    'passw0rd',
    'p@ssw0rd',
    'p@ssword',
    'pass1234',
    'admin123',
    'admin1234',
    'admin888',
    'administrator',
    'root1234',
    'qwerty123',
    'qwertyuiop',
    'qwerty12',
    'qwer1234',
    'asdf1234',
    'asdfghjkl',
    'zxcvbnm1',
    '1qaz2wsx',
    '1q2w3e4r',
    '1q2w3e4r5t',
    'q1w2e3r4',
    'zaq12wsx',
    'abcd1234',
    'abc12345',
    'abc123456',
    'a1234567',
    'a12345678',
    'a123456789',
    'aa123456',
    'aa12345678',
    'a1b2c3d4',
    'iloveyou',
    'iloveyou1',
    'woaini1314',
    'woaini520',
    'woaini123',
    '5201314a',
    'qq123456',
    'qq5201314',
    'wang1234',
    'zhang123',
    'li123456',
    'test1234',
    'test12345',
    'welcome1',
    'letmein1',
    'sunshine1',
    'football1',
    'baseball1',
    'monkey123',
    'dragon123',
    'master123',
    'shadow123',
    'superman1',
    'trustno1',
    'changeme',
    'changeme1',
    'default1',
    'guest123',
    'user1234',
    'huawei123',
    'china123',
    'beijing123',
    'shanghai1',
    'admin2024',
    'admin2025',
    'admin2026',
  ].map((p) => p.toLowerCase()),
);

/** The base a password is made of once a trailing year, digits or punctuation is removed. */
const stem = (p: string) => p.replace(/(19|20)\d\d$/, '').replace(/[\d!@#$%^&*.]+$/, '');

export function isCommonPassword(password: string): boolean {
  const p = password.toLowerCase();
  if (COMMON.has(p)) return true;
  const s = stem(p);
  if (
    s.length >= 3 &&
    (COMMON.has(s) || ['password', 'passw0rd', 'admin', 'qwerty', 'abc', 'abcd', 'woaini', 'iloveyou', 'test', 'welcome', 'root', 'user', 'guest'].includes(s))
  )
    return true;
  // one character repeated, or a run such as abcdefgh / 23456789
  if (/^(.)\1+$/.test(p)) return true;
  const codes = [...p].map((c) => c.charCodeAt(0));
  const run = codes.every((c, i) => i === 0 || c - codes[i - 1] === 1) || codes.every((c, i) => i === 0 || c - codes[i - 1] === -1);
  return run;
}

/** What is wrong with a password (the first problem found), or undefined when it may be set. */
export function passwordProblem(password: string, username?: string): PasswordProblem | undefined {
  if (password.length < PASSWORD_MIN) {
    return {
      code: 'password_too_short',
      message: `密码至少${PASSWORD_MIN}位`,
      messageEn: `the password needs at least ${PASSWORD_MIN} characters`,
      params: { minimum: PASSWORD_MIN },
    };
  }
  if (password.length > PASSWORD_MAX) {
    return {
      code: 'password_too_long',
      message: `密码最多${PASSWORD_MAX}位`,
      messageEn: `the password may have at most ${PASSWORD_MAX} characters`,
      params: { maximum: PASSWORD_MAX },
    };
  }
  if (!/\p{L}/u.test(password) || !/\p{Nd}/u.test(password)) {
    return { code: 'password_needs_letters_and_digits', message: '密码须同时包含字母和数字', messageEn: 'the password needs both letters and digits' };
  }
  if (isCommonPassword(password)) {
    return {
      code: 'password_too_common',
      message: '密码过于常见，容易被猜中，请换一个',
      messageEn: 'this password is too common and easily guessed; choose another',
    };
  }
  const name = username?.trim().toLowerCase();
  if (name && name.length >= 3 && password.toLowerCase().includes(name)) {
    return { code: 'password_contains_username', message: '密码不能包含用户名', messageEn: 'the password may not contain the username' };
  }
  return undefined;
}
