import { validateRegistration } from '../../../src/registration/validate-registration';
import type { RegistrationDraft } from '../../../src/registration/types';
import { EXE, JPEG, PDF, file, goodDraft } from './support';

describe('validateRegistration', () => {
  test('a good draft comes back normalised, fields in the usual order, files typed by their bytes', () => {
    const draft = goodDraft();
    draft.fields.origem = 'instagram';
    const result = validateRegistration(draft);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.normalized.fields).toEqual({
      nome_completo: 'Maria da Silva',
      nif: '123456789',
      telefone: '+351912345678',
      email: 'Maria.Silva@exemplo.pt',
      morada: 'Rua das Flores, 12 2º Esq.',
      codigo_postal: '1000-001',
      cidade: 'Lisboa',
      origem: 'instagram',
    });
    expect(Object.keys(result.normalized.fields)).toEqual([
      'nome_completo',
      'nif',
      'telefone',
      'email',
      'morada',
      'codigo_postal',
      'cidade',
      'origem',
    ]);
    expect(result.normalized.files.map((f) => [f.field, f.mimetype, f.filename])).toEqual([
      ['cnh_frente', 'image/jpeg', 'frente.jpg'],
      ['cnh_verso', 'image/heic', 'cnh_verso.heic'],
      ['comprovante_morada', 'application/pdf', 'fatura.pdf'],
    ]);
  });

  test('lists every problem at once, by variable name, in field order', () => {
    const draft: RegistrationDraft = {
      fields: {
        nome_completo: ' ',
        nif: '123456780',
        telefone: '12345',
        email: 'maria@',
        morada: 'Rua A',
        codigo_postal: '100-001',
        cidade: 'Porto',
      },
      files: [
        file('cnh_frente', EXE, { mimetype: 'image/jpeg' }),
        file('comprovante_morada', Buffer.concat([PDF, Buffer.alloc(2 * 1024 * 1024)])),
      ],
    };
    const result = validateRegistration(draft, { maxFileMB: 1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.field, p.code])).toEqual([
      ['nome_completo', 'required'],
      ['nif', 'nifCheckDigit'],
      ['telefone', 'phoneFormat'],
      ['email', 'emailFormat'],
      ['codigo_postal', 'postalCodeFormat'],
      ['cnh_frente', 'fileType'],
      ['cnh_verso', 'fileMissing'],
      ['comprovante_morada', 'fileTooLarge'],
    ]);
    expect(result.problems[1].message.pt).toBe('NIF inválido: o dígito de controlo não confere.');
  });

  test('an absent or blank field is "required", not a format error', () => {
    const draft = goodDraft();
    delete draft.fields.nif;
    draft.fields.email = '   ';
    const result = validateRegistration(draft);
    expect(result.ok ? [] : result.problems.map((p) => [p.field, p.code])).toEqual([
      ['nif', 'required'],
      ['email', 'required'],
    ]);
  });

  test('configured variable names and file fields are honoured', () => {
    const result = validateRegistration(
      {
        fields: {
          full_name: 'Ana',
          tax_id: '501442600',
          mobile: '+351 912 000 111',
          mail: 'a@b.pt',
          street: 'Rua B',
          zip: '4000-001',
          town: 'Porto',
        },
        files: [file('licence', JPEG)],
      },
      {
        fields: { name: 'full_name', nif: 'tax_id', phone: 'mobile', email: 'mail', address: 'street', postalCode: 'zip', city: 'town' },
        fileFields: ['licence', 'selfie'],
        labels: { selfie: { pt: 'Selfie', en: 'Selfie' } },
      },
    );
    expect(result.ok ? [] : result.problems.map((p) => [p.field, p.code, p.message.en])).toEqual([
      ['selfie', 'fileMissing', 'Selfie: the file is missing; send a photo or a PDF.'],
    ]);
  });

  test('every file of a field is checked, and extra files too; one problem per field and kind', () => {
    const draft = goodDraft();
    draft.files.push(file('cnh_frente', EXE), file('cnh_frente', EXE), file('extra', EXE));
    const result = validateRegistration(draft);
    expect(result.ok ? [] : result.problems.map((p) => [p.field, p.code])).toEqual([
      ['cnh_frente', 'fileType'],
      ['extra', 'fileType'],
    ]);
  });

  test('several good files of one field all survive', () => {
    const draft = goodDraft();
    draft.files.push(file('cnh_frente', PDF));
    const result = validateRegistration(draft);
    expect(result.ok && result.normalized.files.filter((f) => f.field === 'cnh_frente').map((f) => f.mimetype)).toEqual([
      'image/jpeg',
      'application/pdf',
    ]);
  });

  test('the draft given is not modified', () => {
    const draft = goodDraft();
    const before = JSON.stringify(draft);
    validateRegistration(draft);
    expect(JSON.stringify(draft)).toBe(before);
  });
});
