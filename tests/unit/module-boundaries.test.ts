/**
 * The service-module boundary (docs/architecture.md): outside a module's own folders, the
 * registries and the tests, no source names a service; the modules' console strings merge into
 * the console's one string table without shadowing each other or the kernel's.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installedModules } from '#core/catalog';
import { moduleTexts } from '../../web/src/services/registry.ts';
import { kernelStrings, strings } from '../../web/src/strings.ts';

const ROOT = join(import.meta.dirname, '../..');
const SOURCE_DIRS = ['functions', 'lib', 'local', 'bin', 'web/src'];
const MODULE_DIRS = ['functions/services/', 'web/src/services/'];

function sources(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(join(ROOT, dir));
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('service modules', () => {
  it('are named only inside their own folders and the registries', () => {
    const ids = installedModules().map((m) => m.definition.id);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    // every service id, and the words the services' own paths and types use (as in the README)
    const words = new RegExp([...ids, 'rehab', 'childcare'].join('|'), 'i');
    const naming = SOURCE_DIRS.flatMap(sources)
      .filter((path) => !MODULE_DIRS.some((dir) => path.startsWith(dir)))
      .filter((path) => words.test(readFileSync(join(ROOT, path), 'utf8')))
      .map((path) => relative(ROOT, join(ROOT, path)));
    expect(naming).toEqual([]);
  });

  it('are listed by the two registries only, among the files beside the modules’ folders', () => {
    const ids = installedModules().map((m) => m.definition.id);
    const words = new RegExp([...ids, 'rehab', 'childcare'].join('|'), 'i');
    const naming = MODULE_DIRS.flatMap((dir) =>
      readdirSync(join(ROOT, dir))
        .filter((name) => /\.tsx?$/.test(name))
        .map((name) => `${dir}${name}`),
    ).filter((path) => words.test(readFileSync(join(ROOT, path), 'utf8')));
    expect(naming.sort()).toEqual(['functions/services/registry.ts', 'web/src/services/registry.ts']);
  });

  it('merge their console strings without shadowing the kernel’s or each other’s', () => {
    const seen = new Map<string, string>(Object.keys(kernelStrings).map((k) => [k, 'kernel']));
    const clashes: string[] = [];
    for (const [id, texts] of Object.entries(moduleTexts)) {
      for (const key of Object.keys('strings' in texts ? texts.strings : {})) {
        if (seen.has(key)) clashes.push(`${key}: ${seen.get(key)} and ${id}`);
        seen.set(key, id);
      }
    }
    expect(clashes).toEqual([]);
    expect(Object.keys(strings).length).toBe(seen.size);
  });

  it('each have console texts, keyed by an installed service id', () => {
    const ids = installedModules()
      .map((m) => m.definition.id)
      .sort();
    expect(Object.keys(moduleTexts).sort()).toEqual(ids);
  });
});
