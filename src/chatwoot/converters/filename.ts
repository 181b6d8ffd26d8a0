import type { MediaKind, RemoteMessage } from '../../core/messages';

const EXT_BY_MIME: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'application/pdf': 'pdf',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/zip': 'zip',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'text/vcard': 'vcf',
  'text/x-vcard': 'vcf',
};

/** 'audio/ogg; codecs=opus' -> 'audio/ogg'. Chatwoot picks file_type from the bare type. */
export function baseMime(mimetype: string | undefined): string {
  const base = (mimetype ?? '').split(';')[0].trim().toLowerCase();
  return /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(base) ? base : 'application/octet-stream';
}

export function extFromMime(mimetype: string): string {
  const base = baseMime(mimetype);
  const known = EXT_BY_MIME[base];
  if (known) return known;
  // Short plain subtypes (heic, opus, rtf…) make a sensible extension; vendor types do not.
  const sub = base.split('/')[1];
  return /^[a-z0-9]{1,5}$/.test(sub) ? sub : 'bin';
}

/**
 * Last 8 alphanumerics of the bare message id: WA ids share a prefix ("3EB0…"), the tail varies.
 * Serialized ids (`false_<chat>@g.us_<id>_<participant>@c.us`) are reduced to `<id>` first.
 */
export function shortId(id: string): string {
  const parts = id.split('_').filter((p) => p && !p.includes('@') && p !== 'true' && p !== 'false');
  const bare = (parts[parts.length - 1] ?? id).replace(/[^A-Za-z0-9]/g, '');
  return bare.slice(-8) || 'media';
}

/** Strips what breaks multipart headers or file systems; keeps unicode names readable. */
export function sanitizeFilename(name: string): string {
  const cleaned = name
    .replace(/\s+/g, ' ')
    // eslint-disable-next-line no-control-regex -- control characters are among what this replaces
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (cleaned.length <= 200) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return cleaned.slice(0, 200 - ext.length) + ext;
}

/**
 * The original name when WhatsApp carries one (always for documents), with an extension added when
 * it has none; otherwise `<kind>-<short id>.<ext>`.
 */
export function mediaFilename(msg: Pick<RemoteMessage, 'id'>, kind: MediaKind, mimetype: string, original?: string): string {
  const ext = extFromMime(mimetype);
  const name = original ? sanitizeFilename(original) : '';
  if (name) return /\.[A-Za-z0-9]{1,10}$/.test(name) || ext === 'bin' ? name : `${name}.${ext}`;
  return `${kind}-${shortId(msg.id)}.${ext}`;
}
