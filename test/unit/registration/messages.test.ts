import { say } from '../../../src/core/catalog';
import { PROBLEM_CODES, describeProblems, makeProblem, problemTemplate, registrationInvalidText } from '../../../src/registration/messages';
import { validateRegistration } from '../../../src/registration/validate-registration';
import { goodDraft } from './support';

function problemsOfBadDraft() {
  const draft = goodDraft();
  draft.fields.nif = '123456780';
  draft.fields.codigo_postal = '12';
  draft.files = draft.files.filter((f) => f.field !== 'cnh_verso');
  const result = validateRegistration(draft);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('registration messages', () => {
  test('Portuguese by default, one bullet per problem', () => {
    expect(describeProblems(problemsOfBadDraft())).toBe(
      [
        '• NIF inválido: o dígito de controlo não confere.',
        '• Código postal inválido: use o formato 1234-567.',
        '• Carta de condução (verso): falta o ficheiro; envie uma foto ou um PDF.',
      ].join('\n'),
    );
  });

  test('English on request', () => {
    expect(describeProblems(problemsOfBadDraft(), 'en')).toBe(
      [
        '• Invalid NIF: the check digit does not match.',
        '• Invalid postal code: use the format 1234-567.',
        '• Driving licence (back): the file is missing; send a photo or a PDF.',
      ].join('\n'),
    );
  });

  test('the full message wraps the list in the catalogue sentence', () => {
    const problems = problemsOfBadDraft();
    expect(registrationInvalidText(problems, 'pt')).toBe(say('pt', 'registrationInvalid', { problems: describeProblems(problems, 'pt') }));
    expect(registrationInvalidText(problems, 'en')).toMatch(/^Some registration details need fixing:\n• Invalid NIF/);
  });

  test('labels and numbers are filled per language', () => {
    const p = makeProblem(
      'comprovante_morada',
      'fileTooLarge',
      { pt: 'Comprovativo de morada', en: 'Proof of address' },
      { sizeMB: 12.5, maxMB: 10 },
    );
    expect(p.message).toEqual({
      pt: 'Comprovativo de morada: o ficheiro tem 12,5 MB e o máximo é 10 MB.',
      en: 'Proof of address: the file is 12.5 MB and the maximum is 10 MB.',
    });
    expect(makeProblem('nome_completo', 'tooLong', { pt: 'Nome completo', en: 'Full name' }, { max: 150 }).message.pt).toBe(
      'Nome completo: texto demasiado longo (máximo 150 caracteres).',
    );
  });

  test('every code has both languages and no placeholder is left unfilled', () => {
    const vars = { max: 1, prefix: '0', sizeMB: 2, maxMB: 1, declared: 'x' };
    for (const code of PROBLEM_CODES) {
      const t = problemTemplate(code);
      expect(t.pt.length).toBeGreaterThan(0);
      expect(t.en.length).toBeGreaterThan(0);
      const p = makeProblem('f', code, { pt: 'Campo', en: 'Field' }, vars);
      expect(`${p.message.pt} ${p.message.en}`).not.toMatch(/\{\w+\}/);
    }
  });
});
