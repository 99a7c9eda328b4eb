/**
 * Registers the workflows' custom search attributes on a server that lacks them (the time-skipping test
 * server, or a self-hosted cluster at TEMPORAL_ADDRESS). The dev server gets them as start-up flags.
 */
import type { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { SEARCH_ATTRIBUTE_KEYS } from '../domain/search-attributes';

const INDEXED_VALUE_TYPE: Record<string, number> = {
  [SearchAttributeType.TEXT]: 1,
  [SearchAttributeType.KEYWORD]: 2,
  [SearchAttributeType.INT]: 3,
  [SearchAttributeType.DOUBLE]: 4,
  [SearchAttributeType.BOOL]: 5,
  [SearchAttributeType.DATETIME]: 6,
  [SearchAttributeType.KEYWORD_LIST]: 7,
};

export async function registerSearchAttributes(connection: Connection, namespace = 'default'): Promise<void> {
  let existing: Record<string, unknown> = {};
  try {
    existing = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  } catch {
    // The time-skipping server cannot list; adding is idempotent there.
  }
  const missing = SEARCH_ATTRIBUTE_KEYS.filter((k) => !(k.name in existing));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((k) => [k.name, INDEXED_VALUE_TYPE[k.type]])),
  });
}
