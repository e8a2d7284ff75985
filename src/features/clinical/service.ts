// Clinical use-cases: the chart's summary and timeline, encounters (draft, edit, sign, addenda);
// vitals, allergies, problems and medications come from ClinicalRecords. Each write and its audit
// event commit together (auditedDbWrite).
import { and, eq } from 'drizzle-orm';
import type { AuditContext } from '../../audit/context.ts';
import type { AuditEvent } from '../../audit/types.ts';
import type { ClinicHandle } from '../../tenancy/registry.ts';
import { diagnoses, encounterAddenda, encounters, procedures } from '../../tenancy/schema/clinic/index.ts';
import { newId } from '../../crypto/bytes.ts';
import { allergiesOf, encounterRow, encounterRows, fullEncounter, lastVitals, medicationsOf, noteColumn, problemsOf, seal, toListItem } from './repo.ts';
import { ENCOUNTER_ID, NOTE_FIELDS, type Allergy, type ClinicalSummaryData, type Encounter, type EncounterNotes, type EncounterPage, type Medication, type Problem, type Vitals } from './types.ts';
import { ClinicalError, type EncounterInput, type Tx } from './base.ts';
import { ClinicalRecords } from './records.ts';

export { ClinicalError, type ClinicalDeps, type ClinicalProblem, type CodedText, type EncounterInput, type RestrictedAccess } from './base.ts';

export const PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)~(enc_[a-z2-7]{26})$/;

export const cursorOf = (e: { startedAt: string; id: string }) => `${e.startedAt}~${e.id}`;
export const isCursor = (s: string) => CURSOR.test(s);

export class ClinicalService extends ClinicalRecords {
  // ---- reads --------------------------------------------------------------------------------

  async summary(ctx: AuditContext, patientId: string): Promise<ClinicalSummaryData> {
    this.permit(ctx, 'clinical:read');
    const h = await this.patient(ctx, patientId);
    const [alg, prb, meds, last, recent] = await Promise.all([
      allergiesOf(h, patientId),
      problemsOf(h, patientId),
      medicationsOf(h, patientId, true),
      lastVitals(h.db, patientId),
      encounterRows(h.db, patientId, undefined, 5).then((rows) => Promise.all(rows.map((r) => toListItem(h, r)))),
    ]);
    return { allergies: alg, problems: prb, activeMedications: meds, lastVitals: last, recentEncounters: recent };
  }

  /** A patient's encounters, newest first, keyset-paged on (started_at, id). */
  async encountersPage(ctx: AuditContext, patientId: string, opts: { before?: string | undefined; limit?: number } = {}): Promise<EncounterPage> {
    this.permit(ctx, 'clinical:read');
    const h = await this.patient(ctx, patientId);
    const limit = Math.min(Math.max(1, Math.floor(opts.limit ?? PAGE_LIMIT)), MAX_PAGE_LIMIT);
    const m = opts.before ? CURSOR.exec(opts.before) : null;
    if (opts.before && !m) throw new ClinicalError('not-found');
    const rows = await encounterRows(h.db, patientId, m ? { at: m[1]!, id: m[2]! } : undefined, limit + 1);
    const items = await Promise.all(rows.slice(0, limit).map((r) => toListItem(h, r)));
    const last = items[items.length - 1];
    return rows.length > limit && last ? { items, next: cursorOf(last) } : { items };
  }

  async encounter(ctx: AuditContext, id: string): Promise<Encounter> {
    this.permit(ctx, 'clinical:read');
    if (!ENCOUNTER_ID.test(id)) throw new ClinicalError('not-found');
    const h = await this.deps.clinics.get(ctx.clinicId);
    const row = await encounterRow(h.db, id);
    if (!row) throw new ClinicalError('not-found');
    await this.reach(ctx, h, row.patientId);
    return fullEncounter(h, row);
  }

  async medications(ctx: AuditContext, patientId: string): Promise<Medication[]> {
    this.permit(ctx, 'clinical:read');
    return medicationsOf(await this.patient(ctx, patientId), patientId, false);
  }

  // ---- encounters ---------------------------------------------------------------------------

  private async sealNotes(h: ClinicHandle, id: string, notes: EncounterNotes) {
    const out: Record<string, string | null> = {};
    for (const f of NOTE_FIELDS) out[f] = await seal(h, 'encounters', noteColumn(f), id, notes[f]);
    return out as Record<(typeof NOTE_FIELDS)[number], string | null>;
  }

  private async codedRows(ctx: AuditContext, h: ClinicHandle, patientId: string, encounterId: string, input: EncounterInput) {
    const at = this.now();
    const by = this.actor(ctx);
    const dx = input.diagnosis && { id: newId('dx'), patientId, encounterId, icd10: input.diagnosis.code, recordedBy: by, recordedAt: at };
    const px = input.procedure && { id: newId('prc'), patientId, encounterId, code: input.procedure.code, recordedBy: by, recordedAt: at };
    return {
      dx: dx && { ...dx, text: (await seal(h, 'diagnoses', 'text', dx.id, input.diagnosis!.text))! },
      px: px && { ...px, text: (await seal(h, 'procedures', 'text', px.id, input.procedure!.text))! },
    };
  }

  private async insertCoded(tx: Tx, rows: Awaited<ReturnType<ClinicalService['codedRows']>>, ctx: AuditContext, patientId: string): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    if (rows.dx) {
      await tx.insert(diagnoses).values(rows.dx);
      events.push(this.event(ctx, 'create', 'diagnosis', rows.dx.id, patientId, { encounter: rows.dx.encounterId, icd10: rows.dx.icd10 }));
    }
    if (rows.px) {
      await tx.insert(procedures).values(rows.px);
      events.push(this.event(ctx, 'create', 'procedure', rows.px.id, patientId, { encounter: rows.px.encounterId }));
    }
    return events;
  }

  async createEncounter(ctx: AuditContext, patientId: string, input: EncounterInput, opts: { startedAt?: string } = {}): Promise<string> {
    this.permit(ctx, 'clinical:write');
    const h = await this.patient(ctx, patientId);
    const id = newId('enc');
    const at = this.now();
    const sealed = await this.sealNotes(h, id, input.notes);
    const coded = await this.codedRows(ctx, h, patientId, id, input);
    return this.write(h, async (tx) => {
      await tx.insert(encounters).values({ id, patientId, startedAt: input.startedAt ?? opts.startedAt ?? at, type: input.type, clinicianId: this.actor(ctx), ...sealed, status: 'draft', updatedAt: at });
      const events = [this.event(ctx, 'create', 'encounter', id, patientId, { type: input.type }), ...(await this.insertCoded(tx, coded, ctx, patientId))];
      return { result: id, events };
    });
  }

  /** Saves a draft's notes (and adds a diagnosis or procedure); a signed encounter is locked. */
  async editEncounter(ctx: AuditContext, id: string, input: EncounterInput): Promise<void> {
    this.permit(ctx, 'clinical:write');
    const current = await this.encounter(ctx, id);
    if (current.status === 'signed') throw new ClinicalError('locked');
    // A draft is its author's until signed; others add to it after signing, as addenda.
    if (current.clinicianId !== this.actor(ctx)) throw new ClinicalError('not-author');
    const h = await this.deps.clinics.get(ctx.clinicId);
    const sealed = await this.sealNotes(h, id, input.notes);
    const coded = await this.codedRows(ctx, h, current.patientId, id, input);
    const changed = NOTE_FIELDS.filter((f) => current.notes[f] !== input.notes[f]);
    await this.write(h, async (tx) => {
      const done = await tx
        .update(encounters)
        .set({ ...sealed, type: input.type, ...(input.startedAt ? { startedAt: input.startedAt } : {}), updatedAt: this.now() })
        .where(and(eq(encounters.id, id), eq(encounters.status, 'draft')))
        .returning({ id: encounters.id });
      // Signed between our read and this write: the lock wins.
      if (done.length === 0) throw new ClinicalError('locked');
      const events = [
        this.event(ctx, 'update', 'encounter', id, current.patientId, { fields: [...changed, ...(current.type !== input.type ? ['type'] : []), ...(input.startedAt ? ['startedAt'] : [])].join(',') }),
        ...(await this.insertCoded(tx, coded, ctx, current.patientId)),
      ];
      return { result: undefined, events };
    });
  }

  async sign(ctx: AuditContext, id: string): Promise<void> {
    this.permit(ctx, 'clinical:sign');
    const current = await this.encounter(ctx, id);
    if (current.status === 'signed') throw new ClinicalError('locked');
    if (current.clinicianId !== this.actor(ctx)) throw new ClinicalError('not-author');
    const h = await this.deps.clinics.get(ctx.clinicId);
    await this.write(h, async (tx) => {
      const at = this.now();
      const done = await tx
        .update(encounters)
        .set({ status: 'signed', signedAt: at, signedBy: this.actor(ctx), updatedAt: at })
        .where(and(eq(encounters.id, id), eq(encounters.status, 'draft')))
        .returning({ id: encounters.id });
      if (done.length === 0) throw new ClinicalError('locked');
      return { result: undefined, events: [this.event(ctx, 'update', 'encounter', id, current.patientId, { signed: true })] };
    });
  }

  /** A dated note by its author on a signed encounter (a draft is simply edited). */
  async addAddendum(ctx: AuditContext, encounterId: string, text: string): Promise<void> {
    this.permit(ctx, 'clinical:write');
    const current = await this.encounter(ctx, encounterId);
    if (current.status !== 'signed') throw new ClinicalError('not-signed');
    const h = await this.deps.clinics.get(ctx.clinicId);
    const id = newId('add');
    const sealed = (await seal(h, 'encounter_addenda', 'text', id, text))!;
    await this.write(h, async (tx) => {
      await tx.insert(encounterAddenda).values({ id, encounterId, authorId: this.actor(ctx), at: this.now(), text: sealed });
      return { result: undefined, events: [this.event(ctx, 'create', 'addendum', id, current.patientId, { encounter: encounterId })] };
    });
  }
}

export type { Allergy, Problem, Medication, Vitals, Encounter };
