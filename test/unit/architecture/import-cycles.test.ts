import path from 'node:path';
import type ts from 'typescript';
import { folderCycles, folderGraph, importsInto, readFolderGraph } from './folder-graph';

const SRC = path.join(__dirname, '../../../src');
const graph = readFolderGraph(SRC);

const ADAPTERS_OF_HELPDESK_AND_BOTS = ['chatwoot', 'typebot', 'bots', 'from-whatsapp', 'from-agents', 'registration'];

describe('the folders of src/', () => {
  test('are all seen by the check', () => {
    for (const folder of [
      'core',
      'store',
      'queue',
      'engines',
      'observability',
      'sessions',
      'from-whatsapp',
      'from-agents',
      'bots',
      'chatwoot',
      'typebot',
      'registration',
      'http',
      'wiring',
      'cli',
      'config',
      'guarded-fetch',
      'main.ts',
    ]) {
      expect(graph.has(folder)).toBe(true);
    }
  });

  test('form no cycle through their imports (type-only imports included)', () => {
    expect(folderCycles(graph)).toEqual([]);
  });

  test('core imports no other folder of src/', () => {
    const others = [...graph.keys()].filter((f) => f !== 'core');
    expect(importsInto(graph, 'core', others)).toEqual([]);
  });

  test(`engines import none of ${ADAPTERS_OF_HELPDESK_AND_BOTS.join(', ')}`, () => {
    expect(importsInto(graph, 'engines', ADAPTERS_OF_HELPDESK_AND_BOTS)).toEqual([]);
  });

  test('chatwoot and typebot import no engine', () => {
    expect(importsInto(graph, 'chatwoot', ['engines'])).toEqual([]);
    expect(importsInto(graph, 'typebot', ['engines'])).toEqual([]);
  });
});

describe('the check itself', () => {
  const root = '/virtual/src';
  const sources: Record<string, string> = {
    'core/ports.ts': "import type { IdMap } from '../store';\nexport interface Port {}\n",
    'store/index.ts': "export * from './id-map';\n",
    'store/id-map.ts': "import Redis from 'ioredis';\nimport { Port } from '../core/ports';\nexport class IdMap {}\n",
    'engines/types.ts': "export async function load() { return import('../chatwoot/client'); }\n",
    'chatwoot/client.ts': "const { x } = require('../store/id-map');\n",
    'main.ts': "import './engines/types';\n",
  };
  const files = Object.entries(sources).map(([rel, text]) => ({ file: path.posix.join(root, rel), text }));
  const host: ts.ModuleResolutionHost = {
    fileExists: (f) => Object.hasOwn(sources, path.posix.relative(root, f)),
    readFile: (f) => sources[path.posix.relative(root, f)],
  };
  const probe = folderGraph(root, files, host);

  test('names the cycle a type-only import closes, with the import on each step', () => {
    expect(folderCycles(probe)).toEqual([
      "core, store: core -> store (core/ports.ts imports '../store') -> core (store/id-map.ts imports '../core/ports')",
    ]);
  });

  test('sees dynamic imports and require, and leaves packages out', () => {
    expect(importsInto(probe, 'engines', ['chatwoot'])).toEqual(["engines/types.ts imports '../chatwoot/client'"]);
    expect(importsInto(probe, 'chatwoot', ['store'])).toEqual(["chatwoot/client.ts imports '../store/id-map'"]);
    expect([...probe.get('store')!.keys()]).toEqual(['core']);
    expect([...probe.get('main.ts')!.keys()]).toEqual(['engines']);
  });
});
