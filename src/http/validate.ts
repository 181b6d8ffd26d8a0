import type { z } from 'zod';
import { formatPath } from '../config/errors';
import { HttpError } from './errors';

/** Parses a request body, answering 400 with every problem and its field path. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
  throw new HttpError(400, 'invalid_request', problems.join('; '), { problems });
}
