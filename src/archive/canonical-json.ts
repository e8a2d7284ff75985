// The canonical JSON of signed archive manifests, defined here and nowhere else:
// - objects: members sorted by key (JavaScript's default string order: UTF-16 code units), members
//   whose value is undefined left out; arrays keep their order;
// - no whitespace anywhere; strings and numbers exactly as JSON.stringify writes them (so non-ASCII
//   stays as itself and only `"`, `\` and control characters are escaped);
// - only JSON values: null, booleans, finite numbers, strings, arrays, plain objects. Anything else
//   is refused rather than silently turned into something a verifier would read differently.
// A verifier in another language can reproduce it: sort keys, serialise compactly, UTF-8 encode.

export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON: numbers must be finite');
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new TypeError('canonical JSON: only plain objects');
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON: cannot encode a ${typeof value}`);
  }
}
