/**
 * The TCP ports this process serves HTTP on (the front thread's, the main thread's inner one). A download
 * Ponte makes on someone else's word (a webhook's attachment URL, a redirect) must never land on them:
 * that would hand /metrics or the admin API to whoever wrote the URL.
 */
const claimed = new Map<number, number>();

/** Records `port` as ours until the returned function is called (a server closing). */
export function claimOwnPort(port: number): () => void {
  claimed.set(port, (claimed.get(port) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (claimed.get(port) ?? 1) - 1;
    if (left > 0) claimed.set(port, left);
    else claimed.delete(port);
  };
}

export function isOwnPort(port: number): boolean {
  return claimed.has(port);
}
