import { Command, CommanderError } from 'commander';
import { AdminError, UsageError } from '../../../src/cli/admin-client';
import { registerRegistrations } from '../../../src/cli/commands/registrations';
import { fileInput, textInput, type FlowDefinition } from '../../fakes/typebot';
import { ADMIN_TOKEN } from '../../helpers/relay-harness';
import type { BotHarness } from '../bots/bot-harness';

/** The couriers' registration flow: seven text answers, then the licence (front, back) and a proof of address. */
export const driversFlow: FlowDefinition = {
  variables: ['phone', 'name', 'session'],
  steps: [
    { bubbles: ['Bem-vindo ao registo de motoristas.\nNome completo?'], input: textInput('nome_completo') },
    { bubbles: ['NIF?'], input: textInput('nif') },
    { bubbles: ['Telefone?'], input: textInput('telefone') },
    { bubbles: ['Email?'], input: textInput('email') },
    { bubbles: ['Morada?'], input: textInput('morada') },
    { bubbles: ['Código postal?'], input: textInput('codigo_postal') },
    { bubbles: ['Cidade?'], input: textInput('cidade') },
    { bubbles: ['Foto da carta de condução (frente)'], input: fileInput('cnh_frente') },
    { bubbles: ['Foto da carta de condução (verso)'], input: fileInput('cnh_verso') },
    { bubbles: ['Comprovativo de morada (PDF)'], input: fileInput('comprovante_morada') },
    { bubbles: ['Obrigado, a nossa equipa vai analisar o seu registo em 48 horas.'] },
  ],
};

export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('front of the licence')]);
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('back of the licence')]);
export const PDF = Buffer.from('%PDF-1.7\nproof of address\n%%EOF');
export const ANSWERS = ['Maria João Silva', '123456789', '912 345 678', 'maria@example.pt', 'Rua das Flores 12', '1000-100', 'Lisboa'];

/** The driver answers every question over WhatsApp; `answers` replaces the text ones. */
export async function fillIn(h: BotHarness, phone: string, answers = ANSWERS): Promise<void> {
  h.inject({ from: phone, type: 'text', text: 'Quero fazer o registo' });
  let sent = (await h.waitSent(phone, 1)).length;
  for (const text of answers) {
    h.inject({ from: phone, type: 'text', text });
    sent = (await h.waitSent(phone, sent + 1)).length;
  }
  for (const [mimetype, data, filename] of [
    ['image/jpeg', JPEG, undefined],
    ['image/png', PNG, undefined],
    ['application/pdf', PDF, 'morada.pdf'],
  ] as const) {
    h.inject({
      from: phone,
      type: mimetype === 'application/pdf' ? 'document' : 'image',
      media: { mimetype, base64: data.toString('base64'), ...(filename ? { filename } : {}) },
    });
    sent = (await h.waitSent(phone, sent + 1)).length;
  }
}

/** `ponte <args>` in process against the harness's daemon, as src/cli/index.ts would run it. */
export async function ponte(h: BotHarness, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const program = new Command('ponte').exitOverride().configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  registerRegistrations(program);
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  try {
    await program.parseAsync([...args, '--url', h.url(), '--token', ADMIN_TOKEN], { from: 'user' });
    return { code: 0, stdout, stderr };
  } catch (err) {
    if (err instanceof CommanderError) return { code: err.exitCode, stdout, stderr };
    if (err instanceof AdminError || err instanceof UsageError) return { code: 1, stdout, stderr: `${stderr}ponte: ${err.message}\n` };
    throw err;
  } finally {
    write.mockRestore();
  }
}
