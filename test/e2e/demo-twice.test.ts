/**
 * `npm run demo` as a person runs it: it plays its conversation and says how to go on (the admin page,
 * being the customer, being the agent); a second one started beside it refuses, naming the port in use,
 * and leaves the first one's data and service alone; Ctrl-C ends the first cleanly.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { exitOf, freePort, removeTempDirs, request, tempDir, track, waitFor } from '../helpers';

const ROOT = path.resolve(__dirname, '../..');
const DEMO = path.join(ROOT, 'dist/scripts/demo.js');

afterAll(removeTempDirs);

test('the demo says how to go on; a second one leaves the first alone; Ctrl-C stops it cleanly', async () => {
  const dir = tempDir('ponte-demo-');
  const demo = YAML.parse(fs.readFileSync(path.join(ROOT, 'config/ponte.demo.yaml'), 'utf8')) as Record<string, any>;
  const [port, cwPort, tbPort] = [await freePort(), await freePort(), await freePort()];
  demo.dataDir = path.join(dir, 'data');
  demo.http.port = port;
  demo.chatwoot.baseUrl = `http://127.0.0.1:${cwPort}`;
  demo.typebot.bots.ajuda.baseUrl = `http://127.0.0.1:${tbPort}`;
  const config = path.join(dir, 'demo.yaml');
  fs.writeFileSync(config, YAML.stringify(demo));
  const env = { ...process.env, PONTE_CONFIG: config };

  const first = track(spawn(process.execPath, [DEMO], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  first.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  first.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  try {
    await waitFor(() => out.includes('Ponte demo is running'), 60_000, 100, `the demo running (so far: ${out.slice(-400)})`);
    expect(out).toContain(`admin page:      http://127.0.0.1:${port}/admin/ui`);
    expect(out).toContain('be the customer: curl');
    expect(out).toMatch(
      new RegExp(
        `be the agent: +curl -H 'api_access_token: [^']+' .*http://127\\.0\\.0\\.1:${cwPort}/api/v1/accounts/1/conversations/\\d+/messages`,
      ),
    );
    // Texts as typed: no doubled backslashes anywhere in what the demo printed.
    expect(out).not.toContain('\\\\');
    expect(out).toContain('"Bom dia *João*! Chega _amanhã_ entre as 9h e as 13h."');

    const kept = fs.readdirSync(path.join(dir, 'data', 'redis'));
    expect(kept.length).toBeGreaterThan(0);
    const second = spawnSync(process.execPath, [DEMO], { cwd: ROOT, env, encoding: 'utf8', timeout: 30_000 });
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`Ponte port 127.0.0.1:${port} is in use (another demo running?); left its data alone`);
    expect(fs.readdirSync(path.join(dir, 'data', 'redis'))).toEqual(kept);
    expect((await request('GET', `http://127.0.0.1:${port}/readyz`)).status).toBe(200);
  } finally {
    first.kill('SIGINT');
    await exitOf(first);
  }
  expect(first.exitCode).toBe(0);
}, 90_000);
