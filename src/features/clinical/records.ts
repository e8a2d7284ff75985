// Vitals, allergies, problems and medications: recorded with their audit event in one transaction.
import { and, eq } from 'drizzle-orm';
import type { AuditContext } from '../../audit/context.ts';
import { allergies, medications, problems, vitals } from '../../tenancy/schema/clinic/index.ts';
import { newId } from '../../crypto/bytes.ts';
import type { FieldErrors } from '../../http/forms.ts';
import { bmiOf, checkVitals, type VitalField } from './vitals.ts';
import { encounterRow, lastHeight, seal, toVitals } from './repo.ts';
import { ENCOUNTER_ID, type Allergy, type Vitals } from './types.ts';
import { ClinicalBase, ClinicalError } from './base.ts';

export class ClinicalRecords extends ClinicalBase {
  /** Checks the ranges, computes BMI and records; nothing is saved when any value is implausible. */
  async recordVitals(
    ctx: AuditContext,
    patientId: string,
    raw: Partial<Record<VitalField, string>>,
    encounterId?: string,
  ): Promise<{ ok: true; vitals: Vitals } | { ok: false; errors: FieldErrors }> {
    this.permit(ctx, 'vitals:write');
    const h = await this.patient(ctx, patientId);
    const checked = checkVitals(raw);
    if (!checked.ok) return { ok: false, errors: checked.errors };
    if (encounterId) {
      const enc = ENCOUNTER_ID.test(encounterId) ? await encounterRow(h.db, encounterId) : undefined;
      if (!enc || enc.patientId !== patientId) return { ok: false, errors: { encounterId: 'clinical.vitals.err.encounter' } };
    }
    const v = checked.values;
    const height = v.heightCm ?? (v.weightKg !== undefined ? await lastHeight(h.db, patientId) : null);
    const row = {
      id: newId('vit'),
      patientId,
      encounterId: encounterId ?? null,
      takenAt: this.now(),
      takenBy: this.actor(ctx),
      systolic: v.systolic ?? null,
      diastolic: v.diastolic ?? null,
      pulse: v.pulse ?? null,
      temperatureC: v.temperatureC ?? null,
      respRate: v.respRate ?? null,
      spo2: v.spo2 ?? null,
      weightKg: v.weightKg ?? null,
      heightCm: v.heightCm ?? null,
      bmi: bmiOf(v.weightKg, height),
    };
    await this.write(h, async (tx) => {
      await tx.insert(vitals).values(row);
      return { result: undefined, events: [this.event(ctx, 'create', 'vitals', row.id, patientId, { fields: Object.keys(v).join(','), encounter: row.encounterId })] };
    });
    return { ok: true, vitals: toVitals(row) };
  }

  async addAllergy(ctx: AuditContext, patientId: string, input: { substance: string; reaction: string; severity: Allergy['severity'] }): Promise<string> {
    this.permit(ctx, 'allergy:write');
    const h = await this.patient(ctx, patientId);
    const id = newId('alg');
    const row = {
      id,
      patientId,
      substance: (await seal(h, 'allergies', 'substance', id, input.substance))!,
      reaction: await seal(h, 'allergies', 'reaction', id, input.reaction),
      severity: input.severity,
      status: 'active',
      recordedBy: this.actor(ctx),
      recordedAt: this.now(),
    };
    return this.write(h, async (tx) => {
      await tx.insert(allergies).values(row);
      return { result: id, events: [this.event(ctx, 'create', 'allergy', id, patientId, { severity: input.severity })] };
    });
  }

  async addProblem(ctx: AuditContext, patientId: string, input: { code: string | null; text: string; onset: string | null }): Promise<string> {
    this.permit(ctx, 'clinical:write');
    const h = await this.patient(ctx, patientId);
    const id = newId('prb');
    const row = { id, patientId, icd10: input.code, text: (await seal(h, 'problems', 'text', id, input.text))!, onset: input.onset, status: 'active', recordedBy: this.actor(ctx), recordedAt: this.now() };
    return this.write(h, async (tx) => {
      await tx.insert(problems).values(row);
      return { result: id, events: [this.event(ctx, 'create', 'problem', id, patientId, { icd10: input.code })] };
    });
  }

  async addMedication(ctx: AuditContext, patientId: string, input: { name: string; strength: string; dose: string; startDate: string | null }): Promise<string> {
    this.permit(ctx, 'clinical:write');
    const h = await this.patient(ctx, patientId);
    const id = newId('med');
    const row = {
      id,
      patientId,
      name: (await seal(h, 'medications', 'name', id, input.name))!,
      strength: await seal(h, 'medications', 'strength', id, input.strength),
      dose: await seal(h, 'medications', 'dose', id, input.dose),
      status: 'active',
      startDate: input.startDate,
      recordedBy: this.actor(ctx),
      recordedAt: this.now(),
    };
    return this.write(h, async (tx) => {
      await tx.insert(medications).values(row);
      return { result: id, events: [this.event(ctx, 'create', 'medication', id, patientId)] };
    });
  }

  /** Changes the status of an allergy, problem or medication of this patient (stopping a medication dates it). */
  async setStatus(ctx: AuditContext, kind: 'allergy' | 'problem' | 'medication', patientId: string, id: string, status: string): Promise<void> {
    this.permit(ctx, kind === 'allergy' ? 'allergy:write' : 'clinical:write');
    const h = await this.patient(ctx, patientId);
    const today = this.now().slice(0, 10);
    await this.write(h, async (tx) => {
      const done =
        kind === 'allergy'
          ? await tx.update(allergies).set({ status }).where(and(eq(allergies.id, id), eq(allergies.patientId, patientId))).returning({ id: allergies.id })
          : kind === 'problem'
            ? await tx.update(problems).set({ status }).where(and(eq(problems.id, id), eq(problems.patientId, patientId))).returning({ id: problems.id })
            : await tx
                .update(medications)
                .set({ status, stopDate: status === 'stopped' ? today : null })
                .where(and(eq(medications.id, id), eq(medications.patientId, patientId)))
                .returning({ id: medications.id });
      if (done.length === 0) throw new ClinicalError('not-found');
      return { result: undefined, events: [this.event(ctx, 'update', kind, id, patientId, { status })] };
    });
  }
}
