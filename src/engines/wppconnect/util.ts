/** One line about an error; wppconnect also throws plain `{erro, text}` objects. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0];
  if (err && typeof err === 'object' && 'text' in err) return String(err.text);
  return String(err);
}
