import type { Check, RegistrationFile } from '../types';

export interface DetectedType {
  mimetype: string;
  ext: string;
}

/** ISO-BMFF brands of HEIF images; iPhones send heic, some Androids mif1. */
const HEIC_BRANDS = ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs'];
const HEIF_BRANDS = ['mif1', 'msf1'];

/** The declared mimetype is whatever the phone or Typebot guessed; the first bytes say what the file is. */
export function detectFileType(data: Buffer): DetectedType | undefined {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return { mimetype: 'image/jpeg', ext: 'jpg' };
  if (data.length >= 4 && data.readUInt32BE(0) === 0x89504e47) return { mimetype: 'image/png', ext: 'png' };
  if (data.length >= 4 && data.subarray(0, 4).toString('latin1') === '%PDF') return { mimetype: 'application/pdf', ext: 'pdf' };
  if (data.length >= 12 && data.subarray(4, 8).toString('latin1') === 'ftyp') {
    const brand = data.subarray(8, 12).toString('latin1');
    if (HEIC_BRANDS.includes(brand)) return { mimetype: 'image/heic', ext: 'heic' };
    if (HEIF_BRANDS.includes(brand)) return { mimetype: 'image/heif', ext: 'heif' };
  }
  return undefined;
}

const MB = 1024 * 1024;

/** One file of a required file field; the result carries the detected mimetype and a filename. */
export function validateFile(file: RegistrationFile | undefined, maxFileMB: number): Check<RegistrationFile> {
  if (!file) return { ok: false, code: 'fileMissing' };
  if (file.data.length === 0) return { ok: false, code: 'fileEmpty' };
  if (file.data.length > maxFileMB * MB) {
    return { ok: false, code: 'fileTooLarge', vars: { sizeMB: Math.round((file.data.length / MB) * 10) / 10, maxMB: maxFileMB } };
  }
  const type = detectFileType(file.data);
  if (!type) return { ok: false, code: 'fileType', vars: { declared: file.mimetype ?? 'unknown' } };
  return {
    ok: true,
    value: { field: file.field, filename: file.filename ?? `${file.field}.${type.ext}`, mimetype: type.mimetype, data: file.data },
  };
}
