import { startRelayHarness, type Harness, type HarnessOptions } from '../../helpers/relay-harness';
import { tempDir } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';
import { TypebotFake, type FlowDefinition } from '../../fakes/typebot';

export interface BotHarness extends Harness {
  typebot: TypebotFake;
  /** Texts Ponte sent to WhatsApp for this phone, in order. */
  sentTexts(phone: string): string[];
  /** Waits until Ponte has sent `count` messages to this phone. */
  waitSent(phone: string, count: number, timeoutMs?: number): Promise<string[]>;
  /** The one Chatwoot conversation of this phone. */
  conversation(phone: string): { id: number; status: string; labels: string[] };
}

/** The daemon with a bot on its session, the strict Typebot and Chatwoot fakes, and a real redis-server. */
export async function startBotHarness(
  flows: Record<string, FlowDefinition>,
  bot: Record<string, unknown> = {},
  options: HarnessOptions = {},
  /** More configuration, once the Typebot fake's URL is known. */
  more: (typebot: TypebotFake) => Record<string, unknown> = () => ({}),
): Promise<BotHarness> {
  const typebot = await TypebotFake.start({ flows, resultsToken: 'typebot-results-token' });
  const publicId = Object.keys(flows)[0];
  const h = await startRelayHarness({
    ...options,
    session: { bot: 'helper', ...options.session },
    config: {
      typebot: { bots: { helper: { baseUrl: typebot.url, publicId, debounceMs: 0, expiryMinutes: 240, ...bot } } },
      media: { dir: tempDir('ponte-media-') },
      ...options.config,
      ...more(typebot),
    },
  });
  const digits = (phone: string) => phone.replace(/\D/g, '');
  const bh: BotHarness = Object.assign(h, {
    typebot,
    sentTexts(phone: string) {
      return h
        .sim()
        .sent()
        .filter((s) => s.message.chatId === `${digits(phone)}@c.us`)
        .map((s) => s.message.text ?? s.message.caption ?? `[${s.message.kind}]`);
    },
    async waitSent(phone: string, count: number, timeoutMs = 10_000) {
      return waitFor(
        () => {
          const texts = bh.sentTexts(phone);
          return texts.length >= count ? texts : undefined;
        },
        timeoutMs,
        25,
        `${count} message(s) sent to ${phone} (so far: ${JSON.stringify(bh.sentTexts(phone))})`,
      );
    },
    conversation(phone: string) {
      const contact = h.chatwoot.contacts().find((c) => c.phone_number === `+${digits(phone)}`);
      const convs = h.chatwoot.conversations().filter((c) => c.contact_id === contact?.id && !c.deleted);
      if (convs.length !== 1) throw new Error(`expected one conversation for ${phone}, found ${convs.length}`);
      return convs[0];
    },
  });
  const stop = h.stop.bind(h);
  bh.stop = async () => {
    await stop();
    await typebot.stop();
  };
  return bh;
}
