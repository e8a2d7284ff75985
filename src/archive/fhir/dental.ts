// The dental chart's findings, as the dental feature renders them (src/dental/fhir.ts), adopted into
// the bundle: a stable UUID for each (its own id kept as an identifier), the patient reference made
// by the context, and the author of the entry as performer.
import type { DentalEntry } from '../../dental/findings.ts';
import { dentalObservations, observationId } from '../../dental/fhir.ts';
import type { FhirContext } from './context.ts';
import type { FhirResource } from './types.ts';

export function dentalResources(ctx: FhirContext, entries: readonly DentalEntry[], names: Map<string, string>): FhirResource[] {
  const authorOf = new Map(entries.map((e) => [observationId(e.id), e.by]));
  return dentalObservations(entries, ctx.patient.reference, { names, until: ctx.generatedAt }).map((o) => {
    const by = authorOf.get(o.id);
    return {
      ...o,
      id: ctx.uuid('Observation', o.id),
      identifier: [{ system: `${ctx.identifierBase}:dental`, value: o.id }],
      subject: ctx.patient,
      ...(by ? { performer: [ctx.practitioner(by)] } : {}),
    };
  });
}
