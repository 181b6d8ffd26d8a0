/** URL helpers shared by the bubble renderers. */

export function isHttpUrl(url: string): boolean {
  return /^https?:\/\/\S+$/i.test(url.trim());
}

/** Path of a URL without query or fragment, whether or not it parses. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split(/[?#]/)[0];
  }
}

/** Lower-case extension of the URL's last path segment ('' when none). */
export function urlExtension(url: string): string {
  const last = pathOf(url).split('/').pop() ?? '';
  const dot = last.lastIndexOf('.');
  return dot > 0 ? last.slice(dot + 1).toLowerCase() : '';
}

/** The URL's last path segment, decoded, for a document's file name. */
export function urlFilename(url: string): string | undefined {
  const last = pathOf(url).split('/').pop();
  if (!last) return undefined;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** Whether a link's text merely repeats its URL (`example.com` for `https://example.com/`). */
export function sameTarget(label: string, url: string): boolean {
  const norm = (s: string): string =>
    s
      .trim()
      .replace(/^(https?:\/\/|mailto:|tel:)/i, '')
      .replace(/^www\./i, '')
      .replace(/\/$/, '')
      .toLowerCase();
  return norm(label) === norm(url);
}

/** `label (url)`, or the bare URL when the label is empty or says the same thing (WhatsApp links bare URLs). */
export function formatLink(label: string, url: string): string {
  const shown = displayUrl(url);
  if (!shown) return label;
  if (label.trim() === '' || sameTarget(label, url)) return shown;
  return `${label} (${shown})`;
}

/** A URL as the user should see it (a `mailto:` link shows the address). */
export function displayUrl(url: string): string {
  return url.trim().replace(/^mailto:/i, '');
}
