/**
 * The database schema, one module for drizzle-kit (drizzle.config.ts) and for every caller: the tables live
 * in db/tables/ (core.ts: regions, users, patches, tasks, audit, notifications, …; the others by subject),
 * which import one another and never this file, so there is no cycle through it.
 */
export * from './tables/core';
export * from './tables/cases';
export * from './tables/quota';
export * from './tables/evidence';
export * from './tables/ingest';
export * from './tables/split';
export * from './tables/merge';
export * from './tables/imagery';
export * from './tables/layers';
export * from './tables/statistics-rollup';
