import { z } from 'zod';

/** Values people paste from examples and forget to change. */
const PLACEHOLDER_SECRETS = new Set(['changeme', 'change-me', 'change_me', 'secret', 'password', 'xxx', 'todo']);

/**
 * The shape of every sample secret Ponte publishes (`ponte config example`, `.env.example`): public, so
 * never a real secret. test/unit/foundation/weak-secrets.test.ts keeps both files to it.
 */
const EXAMPLE_SECRET = /replace[-_ ]?(me|with)/i;

/** Shared secrets Ponte checks (admin token, webhook secret or token, hook token, signing secret). */
export const MIN_SHARED_SECRET = 16;

/**
 * A secret that must be set for real: not empty, not a placeholder or a published sample, and, for the
 * shared secrets Ponte itself checks, at least `minLength` characters (a short one can be guessed).
 */
export const secret = (what: string, minLength = 0) =>
  z.string({ error: `expected a string (${what})` }).superRefine((value, ctx) => {
    const v = value.trim();
    // One problem at a time, the most basic first: a placeholder is not also "too short".
    const problem =
      v.length === 0
        ? `is empty; set a real ${what}`
        : PLACEHOLDER_SECRETS.has(v.toLowerCase()) || EXAMPLE_SECRET.test(v)
          ? `is a placeholder or a published example; set a real ${what}`
          : v.length < minLength
            ? `is shorter than ${minLength} characters; set a long random ${what} (for instance: openssl rand -hex 32)`
            : undefined;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
