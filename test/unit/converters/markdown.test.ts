import { markdownToWhatsApp } from '../../../src/core/markdown/to-whatsapp';
import { readFixtures } from './fixtures';

interface MarkdownCase {
  name: string;
  input: string;
  expected: string;
}

const cases = readFixtures<MarkdownCase>('markdown.json');

test('the table has enough cases to mean something', () => {
  expect(cases.length).toBeGreaterThanOrEqual(30);
});

test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  expect(markdownToWhatsApp(c.input)).toBe(c.expected);
});

test('is idempotent on plain WhatsApp text without markdown', () => {
  const plain = 'Olá! Seu pedido 123 saiu para entrega.\nQualquer dúvida, responda aqui.';
  expect(markdownToWhatsApp(plain)).toBe(plain);
  expect(markdownToWhatsApp(markdownToWhatsApp(plain))).toBe(plain);
});

test('control characters used internally cannot be forged by the input', () => {
  expect(markdownToWhatsApp('a\u0000 0\u0000 \u0001b\u0001 **c**')).toBe('a 0 b *c*');
});
