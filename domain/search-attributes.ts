/**
 * Custom search attributes of the patch and case workflows. The dev server registers them on start
 * (infra/temporal-dev-server.ts; infra/search-attributes.ts for other namespaces); production clusters register them once with `temporal operator search-attribute create`.
 * No personal data here: search attributes are not encrypted.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SA = {
  ProvinceCode: defineSearchAttributeKey('ProvinceCode', SearchAttributeType.KEYWORD),
  CityCode: defineSearchAttributeKey('CityCode', SearchAttributeType.KEYWORD),
  CountyCode: defineSearchAttributeKey('CountyCode', SearchAttributeType.KEYWORD),
  Stage: defineSearchAttributeKey('Stage', SearchAttributeType.KEYWORD),
  Category: defineSearchAttributeKey('Category', SearchAttributeType.KEYWORD),
  Legality: defineSearchAttributeKey('Legality', SearchAttributeType.KEYWORD),
  PatchSource: defineSearchAttributeKey('PatchSource', SearchAttributeType.KEYWORD),
  BatchCode: defineSearchAttributeKey('BatchCode', SearchAttributeType.KEYWORD),
  Overdue: defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL),
  DueAt: defineSearchAttributeKey('DueAt', SearchAttributeType.DATETIME),
} as const;

export const SEARCH_ATTRIBUTE_KEYS = Object.values(SA);
