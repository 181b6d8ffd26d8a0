import { createHmac } from 'node:crypto';
import { verifyWebhook } from '../../../src/chatwoot/webhook-verify';

const secret = 'inbox-secret-123';
const body = Buffer.from('{"event":"message_created","id":7}');
const sign = (ts: number, raw = body, key = secret) =>
  `sha256=${createHmac('sha256', key).update(`${ts}.${raw.toString()}`).digest('hex')}`;
const now = 1_800_000_000;

describe('Chatwoot webhook authentication', () => {
  test('a correct signature within 5 minutes is accepted', () => {
    expect(verifyWebhook({ secret }, body, { signature: sign(now - 200), timestamp: String(now - 200) }, undefined, now)).toEqual({
      ok: true,
    });
  });
  test('a signature over another body, or with another secret, is refused', () => {
    expect(
      verifyWebhook({ secret }, body, { signature: sign(now, Buffer.from('{}')), timestamp: String(now) }, undefined, now),
    ).toMatchObject({ ok: false, reason: 'signature' });
    expect(verifyWebhook({ secret }, body, { signature: sign(now, body, 'other'), timestamp: String(now) }, undefined, now)).toMatchObject({
      ok: false,
      reason: 'signature',
    });
  });
  test('a timestamp older or newer than 5 minutes is stale, even when correctly signed', () => {
    expect(verifyWebhook({ secret }, body, { signature: sign(now - 301), timestamp: String(now - 301) }, undefined, now)).toMatchObject({
      ok: false,
      reason: 'stale',
    });
    expect(verifyWebhook({ secret }, body, { signature: sign(now + 301), timestamp: String(now + 301) }, undefined, now)).toMatchObject({
      ok: false,
      reason: 'stale',
    });
  });
  test('missing headers are refused when a secret is set, even with a valid token', () => {
    expect(verifyWebhook({ secret, token: 'tok' }, body, {}, 'tok', now)).toMatchObject({ ok: false, reason: 'missing' });
  });
  test('without a secret, the URL token decides', () => {
    expect(verifyWebhook({ token: 'url-token' }, body, {}, 'url-token', now)).toEqual({ ok: true });
    expect(verifyWebhook({ token: 'url-token' }, body, {}, 'nope', now)).toMatchObject({ ok: false, reason: 'token' });
    expect(verifyWebhook({ token: 'url-token' }, body, {}, undefined, now)).toMatchObject({ ok: false, reason: 'missing' });
  });
  test('with neither configured nothing is accepted', () => {
    expect(verifyWebhook({}, body, {}, undefined, now).ok).toBe(false);
  });
});
