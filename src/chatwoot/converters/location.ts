import type { RemoteMessage } from '../../core/messages';
import { placeholderText } from './placeholder';
import type { DraftBody } from './types';

/** Up to 7 decimals (~1 cm) without exponent notation or trailing zeros. */
function coord(n: number): string {
  const fixed = n.toFixed(7).replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}

export function mapsUrl(lat: number, lng: number): string {
  return `https://maps.google.com/?q=${coord(lat)},${coord(lng)}`;
}

/**
 * msg.text is deliberately ignored: some engines put the map thumbnail (base64) in a location's body.
 */
export function convertLocation(msg: RemoteMessage): DraftBody {
  const loc = msg.location;
  if (!loc || !Number.isFinite(loc.lat) || !Number.isFinite(loc.lng)) {
    return { content: placeholderText('location'), attachments: [] };
  }
  const name = loc.name?.trim();
  const address = loc.address?.trim();
  const lines = [name ? `Location: ${name}` : 'Location'];
  if (address && address !== name) lines.push(address);
  lines.push(mapsUrl(loc.lat, loc.lng));
  return { content: lines.join('\n'), attachments: [] };
}
