/**
 * Chinese first, English available. react-admin's own texts come from the Chinese pack plus what it lacks
 * (raChinese; test/i18n-messages.test.ts checks that nothing falls back to English).
 */
import * as chineseModule from '@haxqer/ra-language-chinese';
import polyglotI18nProvider from 'ra-i18n-polyglot';
import englishMessages from 'ra-language-english';
import { mergeTranslations, type TranslationMessages } from 'react-admin';
import * as audit from '../audit/messages';
import * as cases from '../cases/messages';
import * as evidence from '../evidence/messages';
import * as layout from '../layout/messages';
import * as patches from '../patches/messages';
import * as statistics from '../statistics/messages';
import * as imagery from '../imagery/messages';
import * as importsMessages from '../imports/messages';
import * as layers from '../layers/messages';
import * as policies from '../policies/messages';
import * as regions from '../regions/messages';
import * as supervision from '../supervision/messages';
import * as tasks from '../tasks/messages';
import * as users from '../users/messages';
import { en } from './en';
import { raChinese, zh } from './zh';

// The Chinese pack is CommonJS with `exports.default`; depending on interop the messages sit one level down.
const chineseMessages = ((chineseModule as { default?: { default?: object } }).default?.default ??
  (chineseModule as { default?: object }).default ??
  chineseModule) as object;

/** Messages of each area of the UI (`<area>/messages.ts` exporting { zh, en }), merged over the core ones. */
const AREAS: Array<{ zh: object; en: object }> = [
  tasks,
  evidence,
  audit,
  patches,
  statistics,
  importsMessages,
  cases,
  layout,
  supervision,
  users,
  regions,
  policies,
  imagery,
  layers,
];

export const messages: Record<string, TranslationMessages> = {
  'zh-CN': mergeTranslations(englishMessages, chineseMessages, raChinese, zh, ...AREAS.map((a) => a.zh)),
  en: mergeTranslations(englishMessages, en, ...AREAS.map((a) => a.en)),
};

export const i18nProvider = polyglotI18nProvider(
  (locale) => messages[locale] ?? messages['zh-CN'],
  'zh-CN',
  [
    { locale: 'zh-CN', name: '中文' },
    { locale: 'en', name: 'English' },
  ],
  { allowMissing: true },
);

/** Choices for a SelectInput from an enum group, labelled through i18n. */
export const choices = (group: keyof typeof zh.enums) => Object.keys(zh.enums[group]).map((id) => ({ id, name: `enums.${group}.${id}` }));
