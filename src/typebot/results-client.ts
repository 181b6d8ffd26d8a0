import type { AxiosInstance } from 'axios';
import type { FlowResults } from '../bots/ports';
import { callTypebot, createTypebotHttp, expectObject, type OnTypebotCall } from './http';

export interface TypebotResultsClientOptions {
  /** The Typebot BUILDER URL (the results API is not on the viewer). */
  baseUrl: string;
  /** Builder API token (Settings › My account › API tokens): the results API always needs one. */
  apiToken: string;
  timeoutMs: number;
  onCall?: OnTypebotCall;
}

interface ResultVariable {
  name?: unknown;
  value?: unknown;
}

/**
 * A completed flow's variables, read from the builder's results API (continueChat never returns them).
 * Values come back as strings the way Typebot shows them: lists joined with ", ".
 */
export class TypebotResultsClient implements FlowResults {
  private readonly http: AxiosInstance;

  constructor(private readonly options: TypebotResultsClientOptions) {
    this.http = createTypebotHttp(options);
  }

  async variables(flowId: string, resultId: string): Promise<Record<string, string>> {
    const data = await callTypebot<unknown>(
      this.http,
      'results',
      {
        method: 'GET',
        url: `/v1/typebots/${encodeURIComponent(flowId)}/results/${encodeURIComponent(resultId)}`,
      },
      this.options,
    );
    const result = expectObject('results', data).result as { variables?: unknown } | undefined;
    const list = Array.isArray(result?.variables) ? (result.variables as ResultVariable[]) : [];
    const out: Record<string, string> = {};
    for (const v of list) {
      if (typeof v?.name !== 'string') continue;
      const value = stringify(v.value);
      if (value !== undefined) out[v.name] = value;
    }
    return out;
  }
}

/** undefined for a variable that was never set, so "empty" and "unset" stay distinguishable. */
function stringify(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value))
    return value
      .filter((v) => v !== null && v !== undefined)
      .map((v) => stringify(v) ?? '')
      .join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  // JSON: what is left is a string, a number or a boolean.
  const scalar = value as string | number | boolean;
  return String(scalar);
}
