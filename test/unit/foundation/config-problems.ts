import { validate } from '../../../src/config/load';
import { ConfigError } from '../../../src/config/errors';

/** A secret that passes every rule (long, random-looking, published nowhere). */
export const GOOD_SECRET = 'f3a9c1e07b2d4e6f8a1c3e5b7d9f0a2c';

/** The problems a configuration is refused with; [] when it loads. */
export function configProblems(config: Record<string, unknown>): string[] {
  try {
    validate(config, 'test');
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems;
  }
}
