/**
 * A file answer whose media the phone is still re-uploading (whatsapp-web.js REUPLOADING): the bot's job
 * is handed back for later, without spending an attempt, instead of answering the flow without the file.
 */
import { BotRunner, type BotJob, type BotRunnerDeps } from '../../../src/bots/runner';
import type { ChatTarget } from '../../../src/core/ports';
import type { RemoteMessage } from '../../../src/core/messages';
import { MediaNotReadyError, type EngineSession } from '../../../src/engines/types';
import { MEDIA_REUPLOAD_WAIT_MS } from '../../../src/from-whatsapp/media-not-ready';
import { NotYetError, RetryableError } from '../../../src/queue/errors';
import type { BotChatState } from '../../../src/store/bot-state';

const TARGET: ChatTarget = {
  session: 'main',
  inboxId: 3,
  chatKey: '351912345678@c.us',
  waChatId: '351912345678@c.us',
  isGroup: false,
  reopen: 'reuse',
};
const FILE: RemoteMessage = {
  id: 'WA-FILE-1',
  chatId: TARGET.waChatId,
  from: TARGET.waChatId,
  fromMe: false,
  timestamp: 1,
  kind: 'document',
  media: { mimetype: 'application/pdf', filename: 'fatura.pdf', handle: 'WA-FILE-1' },
  isGroup: false,
};

function runner(download: () => Promise<Buffer | undefined>): { runner: BotRunner; answers: unknown[] } {
  const answers: unknown[] = [];
  const state: BotChatState = {
    bot: 'helper',
    flowSessionId: 'flow-1',
    conversationId: 7,
    startedAt: Date.now(),
    lastActivity: Date.now(),
    input: { type: 'file input' } as never,
    answers: [],
  };
  const engine = { id: 'main', state: () => 'CONNECTED', downloadMedia: download } as unknown as EngineSession;
  const deps = {
    idMap: { isKnown: async () => false, byWa: async () => ({ conversationId: 7, messageId: 70 }), markKnown: async () => undefined },
    state: {
      human: async () => undefined,
      get: async () => state,
      save: async () => undefined,
      dropFromBurst: async () => undefined,
      burst: async () => [],
    },
    media: {
      put: async () => ({ id: 'm1', mimetype: 'application/pdf', filename: 'fatura.pdf' }),
      link: async () => 'https://ponte.example/media/x/fatura.pdf',
    },
    engine: () => engine,
    bot: () => ({
      name: 'helper',
      flows: {
        answer: async (_s: string, _i: unknown, answer: unknown) => (
          answers.push(answer),
          { accepted: false, hint: 'fileExpected', outputs: [] }
        ),
      },
      trigger: 'always',
      handoffKeywords: [],
      expiryMs: 3600_000,
      debounceMs: 0,
    }),
    player: { play: async (_t: ChatTarget, st: BotChatState, outbox: BotChatState['outbox']) => void (st.outbox = outbox) },
    maxMediaBytes: () => 10 * 1024 * 1024,
    language: 'pt',
    metrics: { botFlows: { labels: () => ({ inc: () => undefined }) }, botMessages: { labels: () => ({ inc: () => undefined }) } },
    logger: { warn: () => undefined, info: () => undefined, debug: () => undefined, error: () => undefined },
  } as unknown as BotRunnerDeps;
  return { runner: new BotRunner(deps), answers };
}

const job = (receivedAt: number): BotJob => ({ type: 'message', session: 'main', receivedAt, target: TARGET, message: FILE });

describe('bot file answers whose media is re-uploading', () => {
  test('a fresh one is "not yet": handed back with a delay, no attempt spent, the flow not answered', async () => {
    const { runner: r, answers } = runner(async () => {
      throw new MediaNotReadyError(FILE.id);
    });
    const err = await r.handle(job(Date.now())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotYetError);
    expect((err as NotYetError).retryAfterMs).toBeGreaterThan(0);
    expect(answers).toEqual([]);
  });

  test('one that outlasted the re-upload wait becomes an ordinary retry (counted, so it cannot wait for ever)', async () => {
    const { runner: r } = runner(async () => {
      throw new MediaNotReadyError(FILE.id);
    });
    const err = await r.handle(job(Date.now() - MEDIA_REUPLOAD_WAIT_MS - 1000)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect(err).not.toBeInstanceOf(NotYetError);
  });

  test('once the phone has it, the flow gets the file', async () => {
    const { runner: r, answers } = runner(async () => Buffer.from('%PDF-1.4'));
    await r.handle(job(Date.now()));
    expect(answers).toEqual([
      expect.objectContaining({ files: [expect.objectContaining({ url: 'https://ponte.example/media/x/fatura.pdf' })] }),
    ]);
  });
});
