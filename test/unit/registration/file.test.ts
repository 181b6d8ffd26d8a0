import { detectFileType, validateFile } from '../../../src/registration/validators/file';
import { EXE, HEIC, JPEG, PDF, PNG, file, heif } from './support';

describe('detectFileType', () => {
  test.each([
    ['jpeg', JPEG, 'image/jpeg'],
    ['png', PNG, 'image/png'],
    ['pdf', PDF, 'application/pdf'],
    ['heic', HEIC, 'image/heic'],
    ['heix', heif('heix'), 'image/heic'],
    ['hevc', heif('hevc'), 'image/heic'],
    ['mif1', heif('mif1'), 'image/heif'],
    ['msf1', heif('msf1'), 'image/heif'],
  ])('recognises %s by its first bytes', (_name, data, mimetype) => {
    expect(detectFileType(data)?.mimetype).toBe(mimetype);
  });

  test.each([
    ['an executable', EXE],
    ['text', Buffer.from('hello')],
    ['an MP4 (ftyp, not a HEIF brand)', heif('isom')],
    ['two bytes of a JPEG', Buffer.from([0xff, 0xd8])],
    ['nothing', Buffer.alloc(0)],
  ])('does not recognise %s', (_name, data) => {
    expect(detectFileType(data)).toBeUndefined();
  });
});

describe('validateFile', () => {
  test('missing, empty', () => {
    expect(validateFile(undefined, 10)).toEqual({ ok: false, code: 'fileMissing' });
    expect(validateFile(file('cnh_frente', Buffer.alloc(0)), 10)).toEqual({ ok: false, code: 'fileEmpty' });
  });

  test('the declared mimetype does not count: bytes decide', () => {
    expect(validateFile(file('cnh_frente', EXE, { mimetype: 'image/jpeg', filename: 'foto.jpg' }), 10)).toEqual({
      ok: false,
      code: 'fileType',
      vars: { declared: 'image/jpeg' },
    });
    const ok = validateFile(file('cnh_frente', PNG, { mimetype: 'image/jpeg', filename: 'foto.jpg' }), 10);
    expect(ok).toEqual({ ok: true, value: { field: 'cnh_frente', filename: 'foto.jpg', mimetype: 'image/png', data: PNG } });
  });

  test('a file without a name gets one from the field and detected type', () => {
    expect(validateFile(file('cnh_verso', HEIC), 10)).toMatchObject({
      ok: true,
      value: { filename: 'cnh_verso.heic', mimetype: 'image/heic' },
    });
  });

  test('size limit in MB (MiB), inclusive', () => {
    const exactly = Buffer.concat([JPEG, Buffer.alloc(1024 * 1024 - JPEG.length)]);
    expect(validateFile(file('f', exactly), 1).ok).toBe(true);
    const over = Buffer.concat([exactly, Buffer.alloc(512 * 1024)]);
    expect(validateFile(file('f', over), 1)).toEqual({ ok: false, code: 'fileTooLarge', vars: { sizeMB: 1.5, maxMB: 1 } });
  });
});
