/** The simulator keeps its pairing in the session's data dir, as the real engines keep a browser profile. */
import fs from 'node:fs';
import path from 'node:path';
import { simulatorSchema } from '../../../src/config/schema';
import { SimulatorEngine } from '../../../src/engines/simulator/simulator-engine';
import type { SessionState } from '../../../src/engines/types';
import { removeTempDirs, tempDir, waitFor } from '../../helpers';

afterAll(removeTempDirs);

const qr = simulatorSchema.parse({ requireQr: true, qrRotateMs: 0 });

async function started(dir: string, config = qr): Promise<SimulatorEngine> {
  const e = new SimulatorEngine('p', config, { dataDir: dir });
  await e.connect();
  await waitFor(() => e.state() !== 'CONNECTING', 1000, 5);
  return e;
}

test('a pairing survives a new engine on the same data dir; logout deletes the dir', async () => {
  const dir = path.join(tempDir('ponte-sim-store-'), 'p');
  const first = await started(dir);
  expect(first.state()).toBe('QR_REQUIRED');
  first.force('CONNECTED'); // the phone scans
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'simulator.json'), 'utf8'))).toMatchObject({ paired: true });
  await first.disconnect();

  const second = await started(dir);
  expect(second.state()).toBe('CONNECTED');
  await second.logout();
  expect(fs.existsSync(dir)).toBe(false);

  const third = await started(dir);
  expect(third.state()).toBe('QR_REQUIRED');
  await third.disconnect();
});

test.each(['LOGGED_OUT', 'BAD_CREDENTIALS'] as SessionState[])('the phone ending the pairing (%s) forgets it too', async (state) => {
  const dir = path.join(tempDir('ponte-sim-store-'), 'p');
  const e = await started(dir);
  e.force('CONNECTED');
  e.force(state);
  expect(fs.existsSync(dir)).toBe(false);
  expect((await started(dir)).state()).toBe('QR_REQUIRED');
});

test('a session that needs no QR writes nothing', async () => {
  const dir = path.join(tempDir('ponte-sim-store-'), 'p');
  const e = await started(dir, simulatorSchema.parse({}));
  expect(e.state()).toBe('CONNECTED');
  e.force('CONNECTED');
  expect(fs.existsSync(dir)).toBe(false);
});
