/** A workflow that does nothing: the baseline the benchmarks compare patch ingestion against. */
export async function noopWorkflow(): Promise<void> {}
