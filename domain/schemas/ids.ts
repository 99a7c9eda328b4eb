/** Row ids (PostgreSQL `serial`/`integer`): positive and within 32 bits, so a larger one is a 4xx, not a 500. */
import { z } from 'zod';
import { msg } from './messages';

export const ROW_ID_MAX = 2_147_483_647;
const TOO_LARGE = msg('编号超出范围', 'the id is out of range', 'id_out_of_range');

/** An id in a JSON body. */
export const rowId = z.number().int().positive().max(ROW_ID_MAX, TOO_LARGE);
/** An id in a path or query (text coerced to a number). */
export const rowIdParam = z.coerce.number().int().positive().max(ROW_ID_MAX, TOO_LARGE);
/** Whether a value taken from a filter is a usable row id. */
export const isRowId = (n: number) => Number.isInteger(n) && n > 0 && n <= ROW_ID_MAX;
