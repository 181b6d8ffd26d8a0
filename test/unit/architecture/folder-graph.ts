import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The graph of src/'s top-level folders, from the imports the TypeScript compiler reads in each file
 * (`import`, `import type`, `export … from`, `import()` and `require`): a type-only import still ties one
 * folder to another, so it counts. A file directly under src/ (main.ts, version.ts) is a node of its own.
 */

export interface ImportEdge {
  /** e.g. 'core/ports.ts', relative to the root. */
  file: string;
  /** The specifier as written, e.g. '../store/id-map'. */
  specifier: string;
}

/** from folder → to folder → the imports that make the edge. */
export type FolderGraph = Map<string, Map<string, ImportEdge[]>>;

const compilerOptions: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  resolveJsonModule: true,
};

export function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** 'core' for src/core/ports.ts, 'main.ts' for src/main.ts. */
export function folderOf(root: string, file: string): string {
  return path.relative(root, file).split(path.sep)[0];
}

/** The files under root that `file` imports, resolved as the compiler resolves them (packages left out). */
export function importsOf(
  file: string,
  text: string,
  root: string,
  host: ts.ModuleResolutionHost = ts.sys,
): Array<ImportEdge & { target: string }> {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.flatMap(({ fileName }) => {
    const resolved = ts.resolveModuleName(fileName, file, compilerOptions, host).resolvedModule;
    if (!resolved || resolved.isExternalLibraryImport) return [];
    const target = path.resolve(resolved.resolvedFileName);
    const rel = path.relative(root, target);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return [];
    return [{ file: path.relative(root, file), specifier: fileName, target }];
  });
}

export function folderGraph(root: string, files: Array<{ file: string; text: string }>, host?: ts.ModuleResolutionHost): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const { file, text } of files) {
    const from = folderOf(root, file);
    if (!graph.has(from)) graph.set(from, new Map());
    for (const edge of importsOf(file, text, root, host)) {
      const to = folderOf(root, edge.target);
      if (to === from) continue;
      const edges = graph.get(from)!;
      edges.set(to, [...(edges.get(to) ?? []), { file: edge.file, specifier: edge.specifier }]);
    }
  }
  return graph;
}

export function readFolderGraph(root: string): FolderGraph {
  return folderGraph(
    root,
    sourceFiles(root).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') })),
  );
}

/** Strongly connected groups of more than one folder (Tarjan), each sorted, the list sorted. */
export function cyclicGroups(graph: FolderGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return groups.sort((a, b) => a[0].localeCompare(b[0]));
}

/** One shortest way round from `start` back to itself inside its group, e.g. ['core', 'store', 'core']. */
export function shortestCycle(graph: FolderGraph, start: string, group: string[]): string[] {
  const members = new Set(group);
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of [...(graph.get(v)?.keys() ?? [])].sort()) {
      if (!members.has(w)) continue;
      if (w === start) {
        const way: string[] = [];
        for (let x = v; x !== start; x = previous.get(x)!) way.unshift(x);
        return [start, ...way, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [];
}

/** "core -> store (core/ports.ts imports '../store/id-map') -> core (store/bot-state.ts imports '../core/ports')" */
export function describeCycle(graph: FolderGraph, cycle: string[]): string {
  return cycle.reduce((text, to, i) => {
    if (i === 0) return to;
    const example = graph.get(cycle[i - 1])!.get(to)![0];
    return `${text} -> ${to} (${example.file} imports '${example.specifier}')`;
  }, '');
}

/** Every cycle among the folders, one described per group of folders that reach each other. */
export function folderCycles(graph: FolderGraph): string[] {
  return cyclicGroups(graph).map((group) => `${group.join(', ')}: ${describeCycle(graph, shortestCycle(graph, group[0], group))}`);
}

/** The imports of `from` that reach one of `forbidden`, e.g. "engines/x.ts imports '../chatwoot/client'". */
export function importsInto(graph: FolderGraph, from: string, forbidden: string[]): string[] {
  return [...(graph.get(from) ?? new Map<string, ImportEdge[]>()).entries()]
    .filter(([to]) => forbidden.includes(to))
    .flatMap(([, edges]) => edges.map((e) => `${e.file} imports '${e.specifier}'`));
}
