import { createHmac } from 'node:crypto';
import { sign, signatureHeaders, verify } from '../../../src/registration/signature';

const secret = 's3cret';
const body = '{"variables":[{"name":"nif","value":"123456789"}]}';
const ts = 1_700_000_000;
const now = () => ts * 1000;

describe('sign', () => {
  test('sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>', () => {
    const expected = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
    expect(sign(secret, ts, body)).toBe(`sha256=${expected}`);
    expect(sign(secret, String(ts), Buffer.from(body))).toBe(`sha256=${expected}`);
  });

  test('signatureHeaders carries both headers', () => {
    expect(signatureHeaders(secret, body, ts)).toEqual({ 'X-Ponte-Timestamp': String(ts), 'X-Ponte-Signature': sign(secret, ts, body) });
  });
});

describe('verify', () => {
  const headers = (t = ts, b = body) => ({ 'x-ponte-timestamp': String(t), 'x-ponte-signature': sign(secret, t, b) });

  test('accepts a fresh, matching signature (header names in any case, raw body as string or Buffer)', () => {
    expect(verify(secret, headers(), body, { now })).toEqual({ ok: true });
    expect(verify(secret, signatureHeaders(secret, body, ts), Buffer.from(body), { now })).toEqual({ ok: true });
  });

  test('refuses a tampered body', () => {
    expect(verify(secret, headers(), body.replace('123456789', '123456780'), { now })).toMatchObject({ ok: false, reason: 'signature' });
  });

  test('refuses another secret', () => {
    expect(verify('other', headers(), body, { now })).toMatchObject({ ok: false, reason: 'signature' });
  });

  test('refuses a stale or future timestamp beyond the tolerance, accepts within', () => {
    expect(verify(secret, headers(ts - 301), body, { now })).toMatchObject({ ok: false, reason: 'stale' });
    expect(verify(secret, headers(ts + 301), body, { now })).toMatchObject({ ok: false, reason: 'stale' });
    expect(verify(secret, headers(ts - 300), body, { now })).toEqual({ ok: true });
    expect(verify(secret, headers(ts - 30), body, { now, toleranceS: 10 })).toMatchObject({
      ok: false,
      reason: 'stale',
      message: expect.stringContaining('30 s'),
    });
  });

  test('a timestamp moved forward breaks the signature, so a captured request cannot be refreshed', () => {
    const h = { ...headers(ts - 1000), 'x-ponte-timestamp': String(ts) };
    expect(verify(secret, h, body, { now })).toMatchObject({ ok: false, reason: 'signature' });
  });

  test('missing or malformed headers', () => {
    expect(verify(secret, {}, body, { now })).toMatchObject({ ok: false, reason: 'missing' });
    expect(verify(secret, { 'x-ponte-signature': sign(secret, ts, body) }, body, { now })).toMatchObject({ ok: false, reason: 'missing' });
    expect(verify(secret, { ...headers(), 'x-ponte-timestamp': '1.7e9' }, body, { now })).toMatchObject({ ok: false, reason: 'stale' });
    expect(verify(secret, { ...headers(), 'x-ponte-signature': 'sha256=00' }, body, { now })).toMatchObject({
      ok: false,
      reason: 'signature',
    });
  });

  test('array header values (repeated headers) use the first', () => {
    const h = headers();
    expect(verify(secret, { ...h, 'x-ponte-signature': [h['x-ponte-signature'], 'sha256=bad'] }, body, { now })).toEqual({ ok: true });
  });
});
