import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const self = fileURLToPath(import.meta.url);
const platformDir = dirname(self);
const modulesDir = resolve(platformDir, '../modules');

/** Every module specifier a source text names: static and type imports, re-exports, dynamic imports, require. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:import|require)\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) found.push(m[1]);
  return found;
}

/** The specifiers of a file that reach into src/modules. */
function intoModules(file: string, source: string): string[] {
  return specifiers(source).filter((s) => {
    if (s.startsWith('.')) {
      const target = resolve(dirname(file), s);
      return target === modulesDir || target.startsWith(modulesDir + sep);
    }
    return /(^|\/)src\/modules(\/|$)/.test(s);
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js|mjs)$/.test(e.name) ? [path] : [];
  });
}

describe('the platform does not know the domains', () => {
  it('finds an import of a module in every form it can be written', () => {
    const file = join(platformDir, 'http', 'example.ts');
    const source = [
      "import { resolveSession } from '../../modules/accounts/sessions.js';",
      "import type {\n  Grid,\n} from '../../modules/org/schema.js';",
      "export * from '../../modules/people/schema.js';",
      "import '../../modules/work-orders/routes.js';",
      "const m = await import('../../modules/org/jobs.js');",
      "import { x } from 'src/modules/party/rules.js';",
      "import { y } from '../db/index.js';",
      "import { z } from 'zod';",
    ].join('\n');
    expect(intoModules(file, source)).toEqual([
      '../../modules/accounts/sessions.js',
      '../../modules/org/schema.js',
      '../../modules/people/schema.js',
      'src/modules/party/rules.js',
      '../../modules/work-orders/routes.js',
      '../../modules/org/jobs.js',
    ]);
  });

  it('no file under src/platform imports from src/modules (domains register through platform/domains.ts)', () => {
    // This file names such imports as examples, in strings.
    const files = sourceFiles(platformDir).filter((f) => f !== self);
    const offenders = files.flatMap((file) =>
      intoModules(file, readFileSync(file, 'utf8')).map((s) => `${relative(platformDir, file)} → ${s}`),
    );
    expect(
      offenders,
      'compose domains in src/domains.ts (jobs, start-up steps, sessions) and list tables in src/schema.ts',
    ).toEqual([]);
  });
});
