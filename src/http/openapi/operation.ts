import type { z } from 'zod';

/**
 * One route of Ponte's HTTP surface, as the OpenAPI document tells it. The schemas are zod: a request
 * body's is the very object its route parses with, so the document cannot say one thing while the
 * route checks another.
 */
export interface OperationSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path template: `/admin/sessions/{id}`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /**
   * `admin`: the Bearer admin token (the document adds the scheme and the 401 answer); `public`: none;
   * otherwise OpenAPI security requirements (alternatives).
   */
  auth: 'admin' | 'public' | Array<Record<string, string[]>>;
  parameters?: ParameterSpec[];
  request?: RequestSpec;
  /** By status code: an answer, or the name of a shared one (`SHARED_ANSWERS`). */
  responses: Record<string, AnswerSpec | string>;
}

export interface ParameterSpec {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  description?: string;
  schema: z.ZodType;
}

export interface RequestSpec {
  /** The schema the route validates with (exported from where the route lives; never a copy). */
  schema: z.ZodType;
  /** The name of its schema in `components.schemas`. */
  schemaName: string;
  required?: boolean;
  /** At least one: the tests send each to the running daemon. */
  examples: Record<string, { summary: string; value: unknown }>;
}

export interface AnswerSpec {
  description: string;
  /** An `application/json` body. */
  json?: z.ZodType;
  /** Bodies of other media types (`text/html`, `*\/*`, ...). */
  content?: Record<string, z.ZodType>;
  headers?: Record<string, { description?: string; required?: boolean; schema: z.ZodType }>;
}

/** Names a zod schema in `components.schemas` (an id the document's registry gives it). */
export interface NamedSchema {
  name: string;
  schema: z.ZodType;
  description?: string;
  /** JSON Schema that zod cannot say (a refinement), merged into what it generates. */
  extra?: Record<string, unknown>;
}

export const ADMIN = 'admin' as const;
