import fs from 'node:fs';
import path from 'node:path';
import { maskPhone, parseVCards } from '../../../src/chatwoot/converters';
import { extFromMime, mediaFilename, sanitizeFilename, shortId } from '../../../src/chatwoot/converters/filename';
import { humanSize } from '../../../src/chatwoot/converters/human-size';

describe('maskPhone', () => {
  test.each([
    ['+5511999991234', '+•••1234'],
    ['5511999991234@c.us', '+•••1234'],
    ['5511999991234:12@s.whatsapp.net', '+•••1234'],
    ['+55 (11) 99999-1234', '+•••1234'],
    ['123', '+•••123'],
    ['', ''],
    ['no digits', ''],
  ])('%s -> %s', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });
});

describe('humanSize', () => {
  test.each([
    [0, '0 B'],
    [900, '900 B'],
    [1024, '1 KB'],
    [1536, '1.5 KB'],
    [1048575, '1 MB'],
    [54840934, '52.3 MB'],
    [41943040, '40 MB'],
    [1610612736, '1.5 GB'],
    [-1, 'unknown size'],
  ])('%d -> %s', (bytes, expected) => {
    expect(humanSize(bytes)).toBe(expected);
  });
});

describe('file names', () => {
  test('short ids come from the bare message id', () => {
    expect(shortId('3EB0C767D26A8D5E1A2B')).toBe('8D5E1A2B');
    expect(shortId('true_5511999998888@c.us_3EB0ABCDEF12')).toBe('ABCDEF12');
    expect(shortId('false_1203630@g.us_3EB0D1D2D3D4D5D6_5511988881234@c.us')).toBe('D3D4D5D6');
    expect(shortId('___')).toBe('media');
  });

  test('extensions from mimetypes', () => {
    expect(extFromMime('audio/ogg; codecs=opus')).toBe('ogg');
    expect(extFromMime('IMAGE/JPEG')).toBe('jpg');
    expect(extFromMime('application/vnd.unknown+xml')).toBe('bin');
    expect(extFromMime('not a mimetype')).toBe('bin');
  });

  test('sanitizing keeps unicode and the extension of long names', () => {
    expect(sanitizeFilename('Relatório\tfinal?.pdf')).toBe('Relatório final_.pdf');
    const long = sanitizeFilename(`${'a'.repeat(300)}.docx`);
    expect(long).toHaveLength(200);
    expect(long.endsWith('.docx')).toBe(true);
  });

  test('an original name that sanitizes to nothing falls back to a generated one', () => {
    expect(mediaFilename({ id: 'ABC' }, 'document', 'application/pdf', ' ... ')).toBe('document-ABC.pdf');
    expect(mediaFilename({ id: 'ABC' }, 'document', 'application/x-thing', 'README')).toBe('README');
  });
});

describe('parseVCards', () => {
  test('several cards in one text, quoted params with separators, escaped values', () => {
    const text = [
      'BEGIN:VCARD',
      'VERSION:4.0',
      'FN:Ana\\, the "boss"',
      'TEL;TYPE="cell,voice";PREF=1:tel:+55-11-91234-5678',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:3.0',
      'item2.TEL:+1 555 0100',
      'item2.X-ABLabel:_$!<Work>!$_',
      'END:VCARD',
    ].join('\r\n');
    expect(parseVCards(text)).toEqual([
      {
        name: 'Ana, the "boss"',
        phones: [{ number: '+55-11-91234-5678', types: ['cell'] }],
      },
      { name: '', phones: [{ number: '+1 555 0100', types: [], label: 'Work' }] },
    ]);
  });

  test('folding with tabs, lower-case names and a text without BEGIN', () => {
    const text = 'fn:Long\r\n\tName\r\ntel;type=work:+44 20\r\n  7946 0000\r\n';
    expect(parseVCards(text)).toEqual([
      {
        name: 'LongName',
        phones: [{ number: '+44 20 7946 0000', types: ['work'] }],
      },
    ]);
  });

  test('latin-1 quoted-printable', () => {
    const qp = 'N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Mu=F1oz;Jos=E9';
    const text = `BEGIN:VCARD\nVERSION:2.1\n${qp}\nEND:VCARD`;
    expect(parseVCards(text)[0].name).toBe('José Muñoz');
  });

  test('garbage gives no cards', () => {
    expect(parseVCards('not a vcard at all')).toEqual([]);
  });
});

test('house rule: src/chatwoot never imports an engine', () => {
  const roots = [path.join(__dirname, '../../../src/chatwoot/converters'), path.join(__dirname, '../../../src/core/markdown')];
  for (const root of roots) {
    for (const file of fs.readdirSync(root).filter((f) => f.endsWith('.ts'))) {
      const source = fs.readFileSync(path.join(root, file), 'utf8');
      expect({ file, engines: /from\s+['"][^'"]*engines\//.test(source) }).toEqual({ file, engines: false });
    }
  }
});
