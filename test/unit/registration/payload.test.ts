import { buildPayload } from '../../../src/registration/payload';
import type { RegistrationMeta } from '../../../src/registration/payload';
import { validateRegistration } from '../../../src/registration/validate-registration';
import type { RegistrationDraft } from '../../../src/registration/types';
import { HEIC, JPEG, PDF, PNG, file, goodDraft } from './support';

const meta: RegistrationMeta = {
  registrationId: 'reg-1',
  session: 'default',
  phone: '+351912345678',
  resultId: 'res-9',
  submittedAt: '2025-01-02T03:04:05.000Z',
};

function normalized(): RegistrationDraft {
  const r = validateRegistration(goodDraft());
  if (!r.ok) throw new Error('fixture should be valid');
  return r.normalized;
}

describe('buildPayload', () => {
  test('the body is {variables, meta} with files as base64 in their variables', () => {
    const { body, variables } = buildPayload(normalized(), meta);
    const parsed = JSON.parse(body) as { variables: Array<{ name: string; value: string }>; meta: Record<string, unknown> };
    expect(Object.keys(parsed)).toEqual(['variables', 'meta']);
    expect(parsed.variables).toEqual(variables);
    expect(variables.map((v) => v.name)).toEqual([
      'nome_completo',
      'nif',
      'telefone',
      'email',
      'morada',
      'codigo_postal',
      'cidade',
      'cnh_frente',
      'cnh_verso',
      'comprovante_morada',
    ]);
    expect(parsed.variables.find((v) => v.name === 'nif')?.value).toBe('123456789');
    expect(parsed.meta).toMatchObject(meta);
    expect(parsed.meta.files).toEqual([
      { field: 'cnh_frente', filename: 'frente.jpg', mimetype: 'image/jpeg', bytes: JPEG.length },
      { field: 'cnh_verso', filename: 'cnh_verso.heic', mimetype: 'image/heic', bytes: HEIC.length },
      { field: 'comprovante_morada', filename: 'fatura.pdf', mimetype: 'application/pdf', bytes: PDF.length },
    ]);
  });

  test('base64 round-trips to the same bytes, also for binary content', () => {
    const binary = Buffer.concat([PNG, Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);
    const draft = normalized();
    draft.files[0] = { ...draft.files[0], data: binary };
    const { body } = buildPayload(draft, meta);
    const vars = (JSON.parse(body) as { variables: Array<{ name: string; value: string }> }).variables;
    expect(Buffer.from(vars.find((v) => v.name === 'cnh_frente')!.value, 'base64').equals(binary)).toBe(true);
    expect(Buffer.from(vars.find((v) => v.name === 'comprovante_morada')!.value, 'base64').equals(PDF)).toBe(true);
  });

  test('several files of one variable become a list', () => {
    const draft = normalized();
    draft.files.push(file('cnh_frente', PDF));
    const { variables } = buildPayload(draft, meta);
    expect(variables.find((v) => v.name === 'cnh_frente')?.value).toEqual([JPEG.toString('base64'), PDF.toString('base64')]);
  });

  test('the same content gives the same body whatever order the draft was built in', () => {
    const a = normalized();
    const b: RegistrationDraft = {
      fields: Object.fromEntries(Object.entries({ ...a.fields, zeta: 'z', alfa: 'a' }).reverse()),
      files: [...a.files].reverse(),
    };
    a.fields = { ...a.fields, alfa: 'a', zeta: 'z' };
    expect(buildPayload(b, meta).body).toBe(buildPayload(a, meta).body);
    expect(
      buildPayload(a, meta)
        .variables.slice(7, 9)
        .map((v) => v.name),
    ).toEqual(['alfa', 'zeta']);
  });

  test('a missing resultId is sent as null', () => {
    const { payload } = buildPayload(normalized(), { ...meta, resultId: undefined });
    expect(payload.meta.resultId).toBeNull();
  });
});
