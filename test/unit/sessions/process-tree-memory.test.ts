/**
 * The memory figure and the process-tree kill read the real /proc of real processes (Linux).
 */
import fs from 'node:fs';
import { processTreeMemory, pssBytes } from '../../../src/engines/browser/memory';
import { killProcessTree, processTree, signalProcesses, stillRunning } from '../../../src/engines/browser/process-tree';
import { isAlive, liveChildren } from '../../helpers';
import { MIB, spawnFakeBrowser, type FakeBrowser } from './spawn-tree';

const linux = fs.existsSync('/proc/self/smaps_rollup') ? describe : describe.skip;

linux('process tree and memory from /proc', () => {
  let browser: FakeBrowser | undefined;

  afterEach(async () => {
    await browser?.kill();
    browser = undefined;
    expect(liveChildren()).toEqual([]);
  });

  test('the tree of a root holds its children and grandchildren, and nothing else', async () => {
    browser = await spawnFakeBrowser(16);
    const tree = processTree([browser.pid]);
    expect(tree.map((p) => p.pid)[0]).toBe(browser.pid);
    expect(tree).toHaveLength(3);
    const comms = tree.map((p) => fs.readFileSync(`/proc/${p.pid}/comm`, 'utf8').trim()).sort();
    // A node process is named as this one is: 'node' up to Node 22, 'MainThread' from Node 24 on.
    const node = fs.readFileSync('/proc/self/comm', 'utf8').trim();
    expect(comms).toEqual([node, 'sh', 'sleep'].sort());
    expect(tree.map((p) => p.pid)).not.toContain(process.pid);
    // gone or bogus roots add nothing
    expect(processTree([0, -1, 999_999_999])).toEqual([]);
  });

  test('the memory figure is the PSS of every process of the tree, read from smaps_rollup', async () => {
    browser = await spawnFakeBrowser(64);
    const mem = processTreeMemory([browser.pid]);
    expect(mem.pids.sort()).toEqual(browser.pids().sort());
    // the node child wrote 64 MiB: resident and private, so fully in its PSS
    expect(mem.bytes).toBeGreaterThan(64 * MIB);
    expect(mem.bytes).toBeLessThan(1024 * MIB);
    const own = mem.pids.map((pid) => {
      const kb = Number(/^Pss:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))![1]);
      return kb * 1024;
    });
    // Each process measured once: counting the hog twice would be 64 MiB off. The two reads may still differ
    // by a few MiB: PSS splits shared pages (node's own code) among their users, and on a busy machine other
    // node processes come and go between the reads.
    expect(Math.abs(mem.bytes - own.reduce((a, b) => a + b, 0))).toBeLessThan(16 * MIB);
    expect(pssBytes(999_999_999)).toBeUndefined();
    expect(processTreeMemory([])).toEqual({ bytes: 0, pids: [] });
  });

  test('killProcessTree kills the root and every descendant, and waits until they are gone', async () => {
    browser = await spawnFakeBrowser(8);
    const pids = browser.pids();
    expect(pids).toHaveLength(3);
    const left = await killProcessTree([browser.pid]);
    expect(left).toEqual([]);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });

  test('a snapshot never signals a process that merely reuses a pid of it', async () => {
    browser = await spawnFakeBrowser(8);
    const [root] = processTree([browser.pid]);
    const stranger = { pid: root.pid, startTicks: root.startTicks + 1 };
    expect(stillRunning(root)).toBe(true);
    expect(stillRunning(stranger)).toBe(false);
    expect(signalProcesses([stranger], 'SIGKILL')).toEqual([]);
    expect(isAlive(root.pid)).toBe(true);
  });
});
