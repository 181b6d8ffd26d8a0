import { z } from 'zod';

/** Values people paste from examples and forget to change. */
const PLACEHOLDER_SECRETS = new Set(['changeme', 'change-me', 'change_me', 'secret', 'password', 'xxx', 'todo']);

/** A secret that must be set for real: not empty and not a placeholder. */
export const secret = (what: string) =>
  z
    .string({ error: `expected a string (${what})` })
    .refine((v) => v.trim().length > 0, { message: `is empty; set a real ${what}` })
    .refine((v) => !PLACEHOLDER_SECRETS.has(v.trim().toLowerCase()), {
      message: `is a placeholder ("changeme" and the like); set a real ${what}`,
    });

