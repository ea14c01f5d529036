/**
 * Like Promise.all, but waits for every promise and, if any failed, throws the failure of the first in the
 * list rather than whichever failed first in time: reads started at once then fail the way they did one
 * after another (the scope check's 403 before anything another read might say), whatever the timing.
 */
export async function allInOrder<T extends readonly unknown[]>(
  promises: readonly [...{ [K in keyof T]: Promise<T[K]> }],
): Promise<T> {
  const settled = await Promise.allSettled(promises);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
