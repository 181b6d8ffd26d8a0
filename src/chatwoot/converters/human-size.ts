const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/**
 * Binary units, like Chatwoot's own MB limit (Rails megabytes): 54840934 -> '52.3 MB'.
 * One decimal, dropped when it is zero.
 */
export function humanSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown size';
  let value = bytes;
  let unit = 0;
  // Compare the rounded value so 1048575 B reads '1 MB', not '1024 KB'.
  while (Math.round(value * 10) / 10 >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  const rounded = Math.round(value * 10) / 10;
  return `${rounded % 1 === 0 ? rounded.toFixed(0) : rounded.toFixed(1)} ${UNITS[unit]}`;
}
