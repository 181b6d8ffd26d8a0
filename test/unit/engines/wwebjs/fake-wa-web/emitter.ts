/**
 * The event model of WhatsApp Web's collections and models as the library's page code uses it:
 * `on('change:body change:caption', fn)` takes several events at once, `once`, and listeners that throw
 * or reject do not stop the others (a browser reports them on its console: `onError`).
 */
type Listener = (...args: never[]) => unknown;

export class Emitter {
  private readonly listeners = new Map<string, Listener[]>();

  constructor(readonly onError: (err: unknown) => void) {}

  on(events: string, fn: Listener): this {
    for (const event of events.split(/\s+/).filter(Boolean)) this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }

  off(events: string, fn: Listener): this {
    for (const event of events.split(/\s+/).filter(Boolean))
      this.listeners.set(
        event,
        (this.listeners.get(event) ?? []).filter((l) => l !== fn),
      );
    return this;
  }

  once(event: string, fn: Listener): this {
    const wrapper = ((...args: never[]) => {
      this.off(event, wrapper);
      return fn(...args);
    }) as Listener;
    return this.on(event, wrapper);
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  trigger(event: string, ...args: unknown[]): void {
    for (const fn of [...(this.listeners.get(event) ?? [])]) {
      try {
        const result = (fn as (...a: unknown[]) => unknown)(...args);
        if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(undefined, this.onError);
      } catch (err) {
        this.onError(err);
      }
    }
  }
}
