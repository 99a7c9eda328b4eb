/** The zipped-shapefile writer lives in infra/ (the export for upload uses it too); the synthetic batches and tests import it from here. */
export * from '../../infra/shapefile-writer';
