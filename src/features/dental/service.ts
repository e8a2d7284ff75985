// Dental chart use-cases: read the chart as of a moment, and add entries (a dentist's, or an
// assistant's drafts). The service checks permissions and the patient's reach itself (restricted
// records, break-glass: ClinicalBase), as well as the routes. Each submission's entries and their
// audit events commit together; reads are audited by the route (the audit middleware).
import { newId } from '../../crypto/bytes.ts';
import type { AuditContext } from '../../audit/context.ts';
import type { Lang } from '../../i18n/index.ts';
import { checkEntry, toEntries, type DentalEntry, type EntryInput, type EntryProblem } from '../../dental/findings.ts';
import { foldChart, type DentalChart } from '../../dental/fold.ts';
import { dentalChartJson, type DentalChartJson } from '../../dental/json.ts';
import { dentalObservations, type DentalObservation } from '../../dental/fhir.ts';
import type { Numbering } from '../../dental/teeth.ts';
import { ClinicalBase } from '../clinical/base.ts';
import { PATIENT_ID } from '../patients/repo.ts';
import { entriesOf, insertRows, rowsOf } from './repo.ts';
import { dentalChartSvg } from './svg.tsx';

export { ClinicalError as DentalError } from '../clinical/base.ts';

export interface DentalView {
  chart: DentalChart;
  /** Display names of every author in the chart's history. */
  names: Map<string, string>;
  /** Whether any entry (ever) is on a primary tooth: then both dentitions are shown by default. */
  hasPrimary: boolean;
}

export type RecordOutcome = { ok: true; ids: string[] } | { ok: false; errors: Record<string, EntryProblem> };

export class DentalService extends ClinicalBase {
  /** The chart as it stood before `until` (exclusive ISO UTC instant; absent: now). */
  async chart(ctx: AuditContext, patientId: string, until?: string | null): Promise<DentalView> {
    this.permit(ctx, 'dental:read');
    const h = await this.patient(ctx, patientId);
    const entries = await entriesOf(h, patientId);
    return {
      chart: foldChart(entries, until),
      names: await this.staffNames(entries.map((e) => e.by)),
      hasPrimary: entries.some((e) => e.tooth >= 50),
    };
  }

  /**
   * Adds the entries of one submission. A dentist's (dental:write) hold at once; a drafter's
   * (dental:draft) are drafts, which can only propose a finding.
   */
  async record(ctx: AuditContext, patientId: string, input: EntryInput, opts: { draft: boolean }): Promise<RecordOutcome> {
    this.permit(ctx, opts.draft ? 'dental:draft' : 'dental:write');
    const h = await this.patient(ctx, patientId);
    const errors = checkEntry(input, opts);
    if (Object.keys(errors).length > 0) return { ok: false, errors };
    const entries = toEntries(input, { patientId, at: this.now(), by: this.actor(ctx), draft: opts.draft }, () => newId('dnt'));
    const rows = await rowsOf(h, entries);
    await this.write(h, async (tx) => {
      await insertRows(tx, rows);
      const events = entries.map((e) =>
        this.event(ctx, 'create', 'dental-entry', e.id, patientId, { tooth: e.tooth, surface: e.surface, finding: e.finding, action: e.action, status: e.status, draft: e.draft }),
      );
      return { result: undefined, events };
    });
    return { ok: true, ids: entries.map((e) => e.id) };
  }

  // ---- for the patient archive ---------------------------------------------------------------
  // The archive job is authorised (export:archive) and audited as a whole, with its scope, so these
  // neither check a permission nor write an event of their own.

  /** A patient's entries in the order recorded, and their authors' names. */
  async entriesForArchive(clinicId: string, patientId: string): Promise<{ entries: DentalEntry[]; names: Map<string, string> }> {
    if (!PATIENT_ID.test(patientId)) return { entries: [], names: new Map() };
    const h = await this.deps.clinics.get(clinicId);
    const entries = await entriesOf(h, patientId);
    return { entries, names: await this.staffNames(entries.map((e) => e.by)) };
  }

  /** charts/dental.json: findings per tooth and surface in FDI numbering, with dates, authors and history. */
  async dentalChartJson(clinicId: string, patientId: string): Promise<DentalChartJson> {
    const { entries, names } = await this.entriesForArchive(clinicId, patientId);
    return dentalChartJson(entries, { patientId, names });
  }

  /** FHIR R4 Observations of the findings standing now, about `patientRef` ('Patient/…' or 'urn:uuid:…'). */
  async dentalObservations(clinicId: string, patientId: string, patientRef: string): Promise<DentalObservation[]> {
    const { entries, names } = await this.entriesForArchive(clinicId, patientId);
    return dentalObservations(entries, patientRef, { names });
  }

  /** charts/dental.svg: the odontogram as a standalone SVG document (no links), both dentitions when any primary tooth is charted. */
  async dentalChartSvg(clinicId: string, patientId: string, opts: { lang?: Lang; numbering?: Numbering } = {}): Promise<string> {
    const { entries } = await this.entriesForArchive(clinicId, patientId);
    return dentalChartSvg(foldChart(entries), { lang: opts.lang ?? 'en', numbering: opts.numbering ?? 'fdi', dentition: entries.some((e) => e.tooth >= 50) ? 'both' : 'permanent' });
  }
}
