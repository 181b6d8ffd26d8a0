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
import { shown } from '../test/fakes/chatwoot/summary';
import { ensurePortsFree } from './demo-ports';
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
  const cw = config.chatwoot!;
  const bot = config.typebot?.bots.ajuda;
  const local = (url: string, what: string) => ({ what, host: new URL(url).hostname, port: Number(new URL(url).port) });
  await ensurePortsFree([
    { what: 'Ponte', host: config.http.host, port: config.http.port },
    local(cw.baseUrl, 'the Chatwoot stand-in'),
    ...(bot ? [local(bot.baseUrl, 'the Typebot stand-in')] : []),
  ]);
  // The stand-ins start empty on every run (Chatwoot message ids start over): so must the demo's Redis and
  // files, or the id map of a previous run would take this run's agent reply for one already sent.
  if (config.redis.url === 'embedded') rmSync(config.redis.dataDir, { recursive: true, force: true });
  rmSync(config.media.dir, { recursive: true, force: true });
  const chatwoot = new ChatwootFake({ inboxes: [{ id: config.sessions[0].inboxId ?? 1 }], apiToken: cw.apiToken, accountId: cw.accountId });
  await chatwoot.start(Number(new URL(cw.baseUrl).port)).catch((err: Error) => {
    throw new Error(`cannot start the Chatwoot stand-in on ${cw.baseUrl}: ${err.message} (is the port in use?)`);
  });
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
  const stop = () =>
    void daemon
      .stop()
      .then(() => chatwoot.stop())
      .then(() => typebot?.stop())
      .then(() => process.exit(0));
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
  for (const s of sim.sent()) {
    const m = s.message;
    const text = m.kind === 'text' ? m.text : ('caption' in m && m.caption) || `(${m.kind})`;
    process.stdout.write(
      `  ${s.id} -> ${s.message.chatId}: ${shown(text ?? '', 200)}${s.message.quotedId ? ` (quoting ${s.message.quotedId})` : ''}\n`,
    );
  }

  const auth = `-H 'Authorization: Bearer ${config.http.adminToken}'`;
  const conversation = chatwoot.conversations()[0]?.id ?? 1;
  process.stdout.write(
    [
      '',
      `Ponte demo is running on ${base} (Ctrl-C to stop)`,
      `  admin page:      ${base}/admin/ui (admin token: ${config.http.adminToken})`,
      `  be the customer: curl ${auth} -H 'Content-Type: application/json' ${base}/admin/simulator/${session}/inbound -d '{"from":"+351912345678","type":"text","text":"Olá!"}'`,
      `  be the agent:    curl -H 'api_access_token: ${cw.apiToken}' -H 'Content-Type: application/json' ${cw.baseUrl}/api/v1/accounts/${cw.accountId}/conversations/${conversation}/messages -d '{"content":"Olá, sou o agente"}'`,
      `  what WhatsApp got: curl ${auth} ${base}/admin/simulator/${session}/sent`,
      `  sessions:        node dist/src/cli/index.js sessions list -c config/ponte.demo.yaml`,
      `  health, metrics: curl ${base}/readyz ; curl -s ${base}/metrics | grep ^ponte_`,
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
