/** Runs `fn` over `items` with at most `concurrency` calls in flight; the first failure rejects (after in-flight calls settle). */
export async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failure: unknown;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
      while (next < items.length && failure === undefined) {
        const item = items[next++];
        try {
          await fn(item);
        } catch (err) {
          failure ??= err;
        }
      }
    }),
  );
  if (failure !== undefined) throw failure;
}
