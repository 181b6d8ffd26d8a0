import { validateEmail } from '../../../src/registration/validators/email';

describe('validateEmail', () => {
  test.each([
    ['maria@exemplo.pt', 'maria@exemplo.pt'],
    ['  Maria.Silva+ponte@Exemplo.COM.pt ', 'Maria.Silva+ponte@exemplo.com.pt'],
    ["o'neil@mail-server.co.uk", "o'neil@mail-server.co.uk"],
  ])('accepts %p as %p (domain lowercased, local part kept)', (raw, value) => {
    expect(validateEmail(raw)).toEqual({ ok: true, value });
  });

  test.each([
    '',
    'maria',
    'maria@',
    '@exemplo.pt',
    'maria@exemplo',
    'maria@exemplo.p',
    'ma ria@exemplo.pt',
    'maria@@exemplo.pt',
    'maria.@exemplo.pt',
    'maria@-exemplo.pt',
    'maria@exemplo..pt',
    'maria@exemplo.123',
    `${'a'.repeat(250)}@x.pt`,
    undefined,
  ])('refuses %p', (raw) => {
    expect(validateEmail(raw)).toEqual({ ok: false, code: 'emailFormat' });
  });
});
