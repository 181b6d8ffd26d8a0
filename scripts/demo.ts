/**
 * The demo: the daemon on config/ponte.demo.yaml (a simulated WhatsApp session and an embedded
 * redis-server), then a few lines telling how to talk to it. Ctrl-C stops everything cleanly.
 */
import { loadConfig } from '../src/config/load';
import { startDaemon } from '../src/main';

async function main(): Promise<void> {
  const config = loadConfig({ path: process.env.PONTE_CONFIG ?? 'config/ponte.demo.yaml' });
  const daemon = await startDaemon(config);
  const base = `http://${config.http.host}:${daemon.http.port}`;
  const auth = `-H 'Authorization: Bearer ${config.http.adminToken}'`;
  const session = config.sessions[0]?.id ?? 'demo';
  process.stdout.write(
    [
      '',
      `Ponte demo is running on ${base} (Ctrl-C to stop)`,
      `  health:    curl ${base}/readyz`,
      `  metrics:   curl ${base}/metrics | grep ^ponte_`,
      `  sessions:  curl ${auth} ${base}/admin/sessions`,
      `  a message: curl ${auth} -H 'Content-Type: application/json' ${base}/admin/simulator/${session}/inbound -d '{"from":"+351912345678","type":"text","text":"Olá!"}'`,
      `  sent:      curl ${auth} ${base}/admin/simulator/${session}/sent`,
      '',
    ].join('\n'),
  );
  const stop = () => void daemon.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
