import { HookBodyError, parseHookBody } from '../../../src/registration/hook-body';

const frente = 'https://s3.typebot.io/public/workspaces/w/typebots/t/results/r1/blocks/b/frente.jpg';
const verso = 'https://s3.typebot.io/public/workspaces/w/typebots/t/results/r1/blocks/b/verso.heic';

describe('parseHookBody', () => {
  test("Typebot's default body (parseAnswers): flat, submittedAt plus variables by name", () => {
    const parsed = parseHookBody({
      submittedAt: '2025-01-02T03:04:05.000Z',
      nome_completo: 'Maria da Silva',
      nif: '123456789',
      cnh_frente: frente,
      cnh_verso: `${frente}, ${verso}`,
      comprovante_morada: '',
    });
    expect(parsed).toEqual({
      fields: { nome_completo: 'Maria da Silva', nif: '123456789' },
      fileUrls: { cnh_frente: [frente], cnh_verso: [frente, verso] },
      submittedAt: '2025-01-02T03:04:05.000Z',
    });
  });

  test('a custom body with {variables: [{name, value}]} and resultId', () => {
    const parsed = parseHookBody({
      resultId: 'res-1',
      variables: [
        { name: 'nif', value: '123456789' },
        { name: 'cnh_frente', value: frente },
        { name: 'tags', value: ['a', null, 'b'] },
        { value: 'no name' },
        { name: 'empty', value: null },
      ],
    });
    expect(parsed).toEqual({ fields: { nif: '123456789', tags: 'a, b' }, fileUrls: { cnh_frente: [frente] }, resultId: 'res-1' });
  });

  test('variables as an object, ids from meta or from the variables', () => {
    expect(parseHookBody({ meta: { resultId: 'r2' }, variables: { nif: 501442600, ok: true } })).toEqual({
      fields: { nif: '501442600', ok: 'true' },
      fileUrls: {},
      resultId: 'r2',
    });
    expect(
      parseHookBody({
        variables: [
          { name: 'resultId', value: 'r3' },
          { name: 'cidade', value: 'Porto' },
        ],
      }),
    ).toEqual({ fields: { cidade: 'Porto' }, fileUrls: {}, resultId: 'r3' });
  });

  test('raw JSON as string or Buffer', () => {
    const raw = JSON.stringify({ cidade: 'Lisboa', resultId: 'r4' });
    expect(parseHookBody(raw)).toEqual({ fields: { cidade: 'Lisboa' }, fileUrls: {}, resultId: 'r4' });
    expect(parseHookBody(Buffer.from(raw))).toEqual(parseHookBody(raw));
  });

  test('unset variables left as {{templates}} and non-URLs in file variables are dropped', () => {
    expect(parseHookBody({ nif: '{{nif}}', cnh_frente: 'undefined', cnh_verso: `not a url, ${verso}` })).toEqual({
      fields: {},
      fileUrls: { cnh_verso: [verso] },
    });
  });

  test('configured file fields', () => {
    expect(parseHookBody({ licence: frente, cnh_frente: 'text now' }, { fileFields: ['licence'] })).toEqual({
      fields: { cnh_frente: 'text now' },
      fileUrls: { licence: [frente] },
    });
  });

  test('refuses what is not a JSON object', () => {
    expect(() => parseHookBody('not json')).toThrow(HookBodyError);
    expect(() => parseHookBody([1, 2])).toThrow('body must be a JSON object');
    expect(() => parseHookBody(null)).toThrow(HookBodyError);
  });
});
