import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Every relative import of every file under src/ (type-only ones included), as file paths. */
function importGraph(): Map<string, string[]> {
  const files: string[] = [];
  (function walk(dir: string) {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) files.push(path);
    }
  })(SRC);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    const specifiers = [
      ...[...source.matchAll(/^(?:import|export)\s[^'";]*?from\s+'(\.[^']+)'/gms)].map(
        (m) => m[1]!,
      ),
      ...[...source.matchAll(/import\('(\.[^']+)'\)/g)].map((m) => m[1]!),
    ];
    graph.set(
      file,
      specifiers.map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts'))),
    );
  }
  return graph;
}

function cyclesOf(graph: Map<string, string[]>): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') {
        cycles.push(
          stack
            .slice(stack.indexOf(next))
            .concat(next)
            .map((f) => relative(SRC, f))
            .join(' → '),
        );
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

describe('the source tree', () => {
  it('has no import cycle: src/ forms a DAG from index.ts down (type-only imports included)', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(100);
    expect(cyclesOf(graph)).toEqual([]);
  });

  it('the check finds a cycle when there is one', () => {
    const a = join(SRC, 'a.ts');
    const b = join(SRC, 'b.ts');
    expect(
      cyclesOf(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual(['a.ts → b.ts → a.ts']);
  });
});
