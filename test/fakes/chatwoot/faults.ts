export interface FaultMatch {
  /** Case-insensitive; any method when omitted. */
  method?: string;
  /** Tested against the path without the query string; a string matches as a substring. */
  path: RegExp | string;
}

export interface FaultSpec {
  status?: number;
  body?: unknown;
  /** How many times it fires before it is used up (default: forever). */
  times?: number;
  /** Chance (0..1) that a matching request is hit (default 1). */
  probability?: number;
  /** Adds Retry-After; implies status 429 when no status is given. */
  retryAfterSeconds?: number;
  /** Delay before answering; alone it only slows a request that is then handled normally. */
  latencyMs?: number;
  /** Never answer (until stop()), so the client hits its own timeout. */
  hang?: boolean;
}

export interface FaultHandle {
  clear(): void;
  /** How many requests this fault has hit so far. */
  readonly hits: number;
  /** How many of those hits are over: answered by the fault, or delayed and then handled (`latencyMs` alone). */
  readonly settled: number;
}

interface ActiveFault {
  match: FaultMatch;
  spec: FaultSpec;
  remaining: number;
  hits: number;
  settled: number;
}

/** What the app must do for one request: answer with `respond`, wait, or hold the socket forever. */
export interface FaultAction {
  latencyMs: number;
  hang: boolean;
  respond: { status: number; body: unknown; headers: Record<string, string> } | null;
  /** Called once the request is over for the fault (after a delayed request was handled). */
  settle: () => void;
}

export class FaultRegistry {
  private faults: ActiveFault[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  add(match: FaultMatch, spec: FaultSpec): FaultHandle {
    const fault: ActiveFault = { match, spec, remaining: spec.times ?? Infinity, hits: 0, settled: 0 };
    this.faults.push(fault);
    return {
      clear: () => {
        this.faults = this.faults.filter((f) => f !== fault);
      },
      get hits() {
        return fault.hits;
      },
      get settled() {
        return fault.settled;
      },
    };
  }

  clear(): void {
    this.faults = [];
  }

  /** The first registered fault that matches and wins its dice roll fires; null lets the request through. */
  take(method: string, path: string): FaultAction | null {
    for (const f of this.faults) {
      if (f.remaining <= 0 || !matches(f.match, method, path)) continue;
      if (this.random() >= (f.spec.probability ?? 1)) continue;
      f.remaining -= 1;
      f.hits += 1;
      return toAction(f.spec, () => {
        f.settled += 1;
      });
    }
    return null;
  }
}

function matches(m: FaultMatch, method: string, path: string): boolean {
  if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
  if (typeof m.path === 'string') return path.includes(m.path);
  m.path.lastIndex = 0;
  return m.path.test(path);
}

function toAction(spec: FaultSpec, settle: () => void): FaultAction {
  const status = spec.status ?? (spec.retryAfterSeconds !== undefined ? 429 : undefined);
  const headers: Record<string, string> = {};
  if (spec.retryAfterSeconds !== undefined) headers['Retry-After'] = String(spec.retryAfterSeconds);
  return {
    latencyMs: spec.latencyMs ?? 0,
    hang: spec.hang ?? false,
    respond: status === undefined ? null : { status, body: spec.body ?? defaultBody(status), headers },
    settle,
  };
}

function defaultBody(status: number): unknown {
  if (status === 429) return { error: 'Retry later' };
  return { error: `Injected fault (${status})` };
}
