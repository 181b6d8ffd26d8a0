import type { BotOutput } from '../../bots/ports';
import { isHttpUrl, urlExtension, urlFilename } from './urls';

/** Files WhatsApp delivers as documents; any other embed (a map, a form, a calendar) is a web page. */
const DOCUMENT_EXTENSIONS = new Set([
  'pdf',
  'doc',
  'docx',
  'xls',
  'xlsx',
  'ppt',
  'pptx',
  'odt',
  'ods',
  'odp',
  'rtf',
  'txt',
  'csv',
  'zip',
  'rar',
  '7z',
]);

/** An embed (or custom embed) bubble: a document when the URL names a file, otherwise a link to open. */
export function renderEmbed(content: { url?: string } | undefined): BotOutput | undefined {
  const url = content?.url?.trim();
  if (!url) return undefined;
  if (isHttpUrl(url) && DOCUMENT_EXTENSIONS.has(urlExtension(url))) {
    const filename = urlFilename(url);
    return filename ? { kind: 'media', mediaKind: 'document', url, filename } : { kind: 'media', mediaKind: 'document', url };
  }
  return { kind: 'text', text: url };
}
