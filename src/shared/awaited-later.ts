// A promise started now (a read ahead, a write beside the next read) and awaited later, in turn.

/**
 * Marks `promise` handled until it is awaited: a rejection before then would otherwise end the
 * process as an unhandled one. It still rejects where it is awaited.
 */
export function awaitedLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
