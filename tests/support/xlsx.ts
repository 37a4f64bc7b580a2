/**
 * Reads an XLSX workbook back for tests (no spreadsheet library: a workbook is a zip of XML
 * parts): each sheet's name and its cells by reference (`B3`), numbers as numbers, shared and
 * inline strings as text. Fails when the file is not a zip with a workbook in it.
 */
import { strFromU8, unzipSync } from 'fflate';

export interface Workbook {
  sheets: Array<{ name: string; cells: Map<string, string | number | boolean> }>;
  sheet(name: string | RegExp): Map<string, string | number | boolean>;
}

const xmlText = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');
const texts = (xml: string) =>
  [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => xmlText(m[1] ?? '')).join('');

export function readXlsx(bytes: Uint8Array): Workbook {
  const files = unzipSync(bytes);
  const part = (path: string) => {
    const f = files[path];
    if (!f) throw new Error(`not a workbook: no ${path}`);
    return strFromU8(f);
  };
  const workbook = part('xl/workbook.xml');
  const rels = part('xl/_rels/workbook.xml.rels');
  const shared = files['xl/sharedStrings.xml']
    ? [...part('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => texts(m[1] ?? ''))
    : [];
  const sheets = [...workbook.matchAll(/<sheet\s([^>]*?)\/?>/g)].map((m) => {
    const attrs = m[1] ?? '';
    const name = /\bname="([^"]*)"/.exec(attrs)?.[1] ?? '';
    const rid = /\br:id="([^"]*)"/.exec(attrs)?.[1] ?? '';
    const rel = [...rels.matchAll(/<Relationship\s([^>]*?)\/?>/g)]
      .map((r) => r[1] ?? '')
      .find((a) => a.includes(`Id="${rid}"`));
    const target = rel ? /\bTarget="([^"]*)"/.exec(rel)?.[1] : undefined;
    if (!target) throw new Error(`sheet ${name} has no part`);
    const xml = part(`xl/${target.replace(/^\/?xl\//, '')}`);
    const cells = new Map<string, string | number | boolean>();
    for (const c of xml.matchAll(/<c\s([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = c[1] ?? '';
      const body = c[2] ?? '';
      const ref = /r="([A-Z]+\d+)"/.exec(attrs)?.[1];
      const type = /t="([^"]*)"/.exec(attrs)?.[1];
      const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      if (!ref) continue;
      if (type === 's' && v !== undefined) cells.set(ref, shared[Number(v)] ?? '');
      else if (type === 'inlineStr') cells.set(ref, texts(body));
      else if (type === 'str' && v !== undefined) cells.set(ref, xmlText(v));
      else if (type === 'b' && v !== undefined) cells.set(ref, v === '1');
      else if (v !== undefined) cells.set(ref, Number(v));
    }
    return { name: xmlText(name), cells };
  });
  return {
    sheets,
    sheet(name) {
      const s = sheets.find((x) => (typeof name === 'string' ? x.name === name : name.test(x.name)));
      if (!s) throw new Error(`no sheet ${String(name)} in ${sheets.map((x) => x.name).join(', ')}`);
      return s.cells;
    },
  };
}

/** The row (1-based) whose column A holds `key`, as its cells from A on. */
export function rowOf(
  cells: Map<string, string | number | boolean>,
  key: string,
): Array<string | number | boolean | undefined> {
  const hit = [...cells.entries()].find(([ref, v]) => /^A\d+$/.test(ref) && v === key);
  if (!hit) throw new Error(`no row ${key}`);
  const n = hit[0].slice(1);
  const out: Array<string | number | boolean | undefined> = [];
  for (let i = 0; i < 26; i++) out.push(cells.get(`${String.fromCharCode(65 + i)}${n}`));
  while (out.length && out[out.length - 1] === undefined) out.pop();
  return out;
}
