/** zod schemas of user management (API only): administrators create and edit the users of their subtree. */
import { z } from 'zod';
import { customIssue, msg, REGION_CODE_FORMAT } from './messages';
import { ROLES } from '../types';
import { PASSWORD_MAX, PASSWORD_MIN, passwordProblem } from '../password-policy';

/** A password that may be set (domain/password-policy.ts); the username check needs the username. */
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, msg('密码至少8位', 'the password needs at least 8 characters', 'password_too_short'))
  .max(PASSWORD_MAX, msg('密码最多100位', 'the password may have at most 100 characters', 'password_too_long'))
  .superRefine((password, ctx) => {
    if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) return; // answered above
    const problem = passwordProblem(password);
    if (problem) ctx.addIssue(customIssue(problem.message, problem.messageEn, problem.code, problem.params));
  });
const regionCode = z.string().regex(/^\d{6}$/, REGION_CODE_FORMAT);
const displayName = z
  .string()
  .trim()
  .min(2, msg('请填写姓名（至少2个字）', 'give the name (at least 2 characters)', 'display_name_required'))
  .max(60);

export const createUserSchema = z
  .object({
    username: z
      .string()
      .trim()
      .regex(
        /^[a-z0-9][a-z0-9._-]{2,39}$/,
        msg(
          '用户名为3–40位小写字母、数字或 . _ -，以字母或数字开头',
          'a username has 3–40 lowercase letters, digits or . _ -, starting with a letter or digit',
          'username_format',
        ),
      ),
    displayName,
    role: z.enum(ROLES),
    regionCode,
    classified: z.boolean().default(false),
    password: passwordSchema,
  })
  .superRefine((user, ctx) => {
    const problem = typeof user.password === 'string' ? passwordProblem(user.password, user.username) : undefined;
    if (problem?.code === 'password_contains_username') ctx.addIssue(customIssue(problem.message, problem.messageEn, problem.code, {}, ['password']));
  });

/** An edit: react-admin sends the whole record; what is not editable (username, id, regionName) is ignored. */
export const updateUserSchema = z.object({
  displayName: displayName.optional(),
  role: z.enum(ROLES).optional(),
  regionCode: regionCode.optional(),
  classified: z.boolean().optional(),
  active: z.boolean().optional(),
});

export const resetPasswordSchema = z.strictObject({ password: passwordSchema.optional() });

/** A user's own change: the current password, and the new one (checked against the policy). */
export const changePasswordSchema = z.strictObject({
  currentPassword: z
    .string()
    .min(1, msg('请填写当前密码', 'give your current password', 'current_password_required'))
    .max(200),
  newPassword: passwordSchema,
});
