/** Dotted paths into plain JSON objects (form fields named by caseworkers, sensitive paths). */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Returns a copy of `obj` with `path` set to `fn(current value)`; absent paths are left alone. */
export function updatePath<T>(obj: T, path: string, fn: (value: unknown) => unknown): T {
  const [head, ...rest] = path.split('.');
  if (head === undefined || obj === null || typeof obj !== 'object' || !Object.hasOwn(obj, head)) return obj;
  const record = obj as Record<string, unknown>;
  const next = rest.length === 0 ? fn(record[head]) : updatePath(record[head], rest.join('.'), fn);
  return { ...record, [head]: next } as T;
}

/** Leaf paths whose values differ between two JSON values. */
export function diffPaths(a: unknown, b: unknown, prefix = ''): string[] {
  const isObj = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => diffPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix];
}
