import type { RegistrationDraft, RegistrationFile } from '../../../src/registration/types';

/** Smallest byte strings each type is recognised by, padded so they look like files. */
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0 fake jpeg body')]);
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('fake png body')]);
export const PDF = Buffer.from('%PDF-1.7\n% fake pdf body\n%%EOF\n');
export const heif = (brand: string): Buffer => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from(`ftyp${brand}\0\0\0\0mif1heic`)]);
export const HEIC = heif('heic');
export const EXE = Buffer.from('MZ\x90\0 not an image', 'latin1');

export const file = (field: string, data: Buffer, extra: Partial<RegistrationFile> = {}): RegistrationFile => ({ field, data, ...extra });

/** A draft the default rules accept, as a driver would type it. */
export function goodDraft(): RegistrationDraft {
  return {
    fields: {
      nome_completo: '  Maria   da Silva ',
      nif: '123 456 789',
      telefone: '912 345 678',
      email: 'Maria.Silva@Exemplo.PT',
      morada: 'Rua das Flores, 12\n2º Esq.',
      codigo_postal: '1000001',
      cidade: 'Lisboa',
    },
    files: [
      file('cnh_frente', JPEG, { filename: 'frente.jpg', mimetype: 'image/jpeg' }),
      file('cnh_verso', HEIC, { mimetype: 'application/octet-stream' }),
      file('comprovante_morada', PDF, { filename: 'fatura.pdf', mimetype: 'application/pdf' }),
    ],
  };
}
