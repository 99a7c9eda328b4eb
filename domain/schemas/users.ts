/** zod schemas of user management (API only): administrators create and edit the users of their subtree. */
import { z } from 'zod';
import { ROLES } from '../types';

export const passwordSchema = z.string().min(8, '密码至少8位').max(100, '密码最多100位');
const regionCode = z.string().regex(/^\d{6}$/, '应为6位行政区划代码');
const displayName = z.string().trim().min(2, '请填写姓名（至少2个字）').max(60);

export const createUserSchema = z.object({
  username: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, '用户名为3–40位小写字母、数字或 . _ -，以字母或数字开头'),
  displayName,
  role: z.enum(ROLES),
  regionCode,
  classified: z.boolean().default(false),
  password: passwordSchema,
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
