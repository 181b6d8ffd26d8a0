/**
 * The kill helper the browser engines use when a start fails or a browser ignores close(), against a
 * real Debian Chromium (headless, about:blank, no network): nothing of it survives.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { browserSchema } from '../../../src/config/schema';
import { chromiumArgs } from '../../../src/engines/browser/chromium';
import { processTreeMemory } from '../../../src/engines/browser/memory';
import { killProcessTree, processTree } from '../../../src/engines/browser/process-tree';
import { exitOf, liveChildren, removeTempDirs, tempDir, track, waitFor } from '../../helpers';

const config = browserSchema.parse({});
const haveChromium = fs.existsSync(config.executablePath) ? test : test.skip;

/** Pids of every process whose command line names `needle` (a unique user-data-dir). */
function processesWith(needle: string): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(needle)) found.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

afterAll(removeTempDirs);

haveChromium('killProcessTree leaves no process of a running Chromium behind, and its memory was measurable', async () => {
  const profile = tempDir('ponte-chromium-');
  const args = [...chromiumArgs(config), '--headless=new', `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'];
  const proc = track(spawn(config.executablePath, args, { stdio: 'ignore' }));
  try {
    // the browser, its zygotes, a GPU/utility process and the about:blank renderer
    await waitFor(() => processTree([proc.pid!]).length >= 4, 20000, 50, 'the Chromium process tree');
    const mem = processTreeMemory([proc.pid!]);
    expect(mem.bytes).toBeGreaterThan(20 * 1024 * 1024);
    expect(processesWith(profile).length).toBeGreaterThanOrEqual(4);

    const left = await killProcessTree([proc.pid!]);
    expect(left).toEqual([]);
    await exitOf(proc);
    await waitFor(() => processesWith(profile).length === 0, 5000, 20, 'no Chromium process left');
  } finally {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await exitOf(proc);
  }
  expect(liveChildren()).toEqual([]);
});
