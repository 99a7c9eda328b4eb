/** react-admin simple-rest list parameters: sort=["field","ASC"], range=[0,24], filter={...}. */
import { z } from 'zod';
import { customIssue, msg } from './messages';
import { NUL_MESSAGE, nulPath } from './nul';

const json = <T extends z.ZodType>(schema: T, name: string) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === '') return undefined;
      try {
        const parsed = JSON.parse(s) as unknown;
        // A NUL written as \u0000 inside the JSON: named by its path in the parameter.
        const nul = nulPath(parsed);
        if (nul) {
          ctx.addIssue({ code: 'custom', message: NUL_MESSAGE, path: nul });
          return z.NEVER;
        }
        return parsed;
      } catch {
        ctx.addIssue(customIssue(`${name} 不是合法的 JSON`, `${name} is not valid JSON`, 'invalid_json', { name }));
        return z.NEVER;
      }
    })
    .pipe(schema.optional());

export const listQuerySchema = z.object({
  sort: json(z.tuple([z.string().min(1), z.enum(['ASC', 'DESC', 'asc', 'desc'])]), 'sort'),
  range: json(
    z
      .tuple([z.number().int().min(0), z.number().int().min(0)])
      .refine(([a, b]) => b >= a, msg('范围的结束不能小于开始', 'the end of the range cannot be before its start', 'range_reversed')),
    'range',
  ),
  filter: json(z.record(z.string(), z.unknown()), 'filter'),
});
export type ListQuery = z.infer<typeof listQuerySchema>;
