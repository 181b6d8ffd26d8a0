/**
 * The demo: the daemon on config/ponte.demo.yaml (a simulated WhatsApp session and an embedded
 * redis-server) next to a local Chatwoot stand-in; a scripted conversation goes both ways, then the
 * daemon keeps running so you can talk to it. Ctrl-C stops everything cleanly.
 */
import { rmSync } from 'node:fs';
import { loadConfig } from '../src/config/load';
import { startDaemon } from '../src/main';
import type { SimulatorEngine } from '../src/engines/simulator/simulator-engine';
import { ChatwootFake } from '../test/fakes/chatwoot';
import { UNCHECKED_ENV, contractsDir, haveContract } from '../test/fakes/contracts';
import { playScriptedConversation } from './demo-script';
import { TypebotFake } from '../test/fakes/typebot';
import { DEMO_FLOW, playBotConversation } from './demo-bot';

async function main(): Promise<void> {
  // The stand-ins check every request against the official Chatwoot and Typebot definitions when they are
  // beside the clone (../shared/contracts); without them the demo still runs, checking nothing, and says so.
  process.env[UNCHECKED_ENV] = '1';
  if (!haveContract('chatwoot-4.13.swagger.json')) console.log(`(the stand-ins run unchecked: no official contracts in ${contractsDir()})`);
  const config = loadConfig({ path: process.env.PONTE_CONFIG ?? 'config/ponte.demo.yaml' });
  // The stand-ins start empty on every run (Chatwoot message ids start over): so must the demo's Redis and
  // files, or the id map of a previous run would take this run's agent reply for one already sent.
  if (config.redis.url === 'embedded') rmSync(config.redis.dataDir, { recursive: true, force: true });
  rmSync(config.media.dir, { recursive: true, force: true });
  const cw = config.chatwoot!;
  const chatwoot = new ChatwootFake({ inboxes: [{ id: config.sessions[0].inboxId ?? 1 }], apiToken: cw.apiToken, accountId: cw.accountId });
  await chatwoot.start(Number(new URL(cw.baseUrl).port)).catch((err: Error) => {
    throw new Error(`cannot start the Chatwoot stand-in on ${cw.baseUrl}: ${err.message} (is the port in use?)`);
  });
  const bot = config.typebot?.bots.ajuda;
  const typebot = bot
    ? await TypebotFake.start({ flows: { [bot.publicId]: DEMO_FLOW }, port: Number(new URL(bot.baseUrl).port) }).catch((err: Error) => {
        throw new Error(`cannot start the Typebot stand-in on ${bot.baseUrl}: ${err.message} (is the port in use?)`);
      })
    : undefined;
  const daemon = await startDaemon(config);
  const base = `http://${config.http.host}:${daemon.http.port}`;
  chatwoot.setWebhook({ url: `${base}/webhooks/chatwoot`, secret: cw.webhookSecret! });
  const session = config.sessions[0].id;
  const sim = daemon.sessions.get(session) as SimulatorEngine;
  const stop = () => void daemon.stop().then(() => chatwoot.stop()).then(() => typebot?.stop()).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  process.stdout.write('\n── Playing a scripted conversation (WhatsApp -> Chatwoot -> WhatsApp) ──\n');
  await playScriptedConversation(sim, chatwoot);
  if (typebot) {
    process.stdout.write('\n── A customer asks for help: the Typebot flow answers, then hands over to the agents ──\n');
    await playBotConversation(sim);
  }
  process.stdout.write(`\n── What Chatwoot received ──\n${chatwoot.summary()}\n`);
  process.stdout.write(`\n── What Ponte sent to WhatsApp ──\n`);
  for (const s of sim.sent()) process.stdout.write(`  ${s.id} -> ${s.message.chatId}: ${JSON.stringify(s.message.text ?? s.message.caption ?? s.message.kind)}${s.message.quotedId ? ` (quoting ${s.message.quotedId})` : ''}\n`);

  const auth = `-H 'Authorization: Bearer ${config.http.adminToken}'`;
  process.stdout.write(
    [
      '',
      `Ponte demo is running on ${base} (Ctrl-C to stop)`,
      `  health:    curl ${base}/readyz`,
      `  metrics:   curl -s ${base}/metrics | grep ^ponte_`,
      `  sessions:  curl ${auth} ${base}/admin/sessions`,
      `  a message: curl ${auth} -H 'Content-Type: application/json' ${base}/admin/simulator/${session}/inbound -d '{"from":"+351912345678","type":"text","text":"Olá!"}'`,
      `  sent:      curl ${auth} ${base}/admin/simulator/${session}/sent`,
      `  CLI:       node dist/src/cli/index.js sessions list -c config/ponte.demo.yaml`,
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
