// Prescription queries, and the encryption of their free text (CR1) on the way in and out.
import { and, desc, eq } from 'drizzle-orm';
import type { ClinicHandle } from '../../tenancy/registry.ts';
import type { ClinicDb } from '../../tenancy/db.ts';
import type { ClinicTx } from '../../audit/log.ts';
import { allergies, encounters, prescriberProfiles, prescriptionItems, prescriptions } from '../../tenancy/schema/clinic/index.ts';
import type { RxItemInput } from './forms.ts';
import { sealColumn, unsealColumn } from '../../tenancy/columns.ts';

export const RX_ID = /^rx_[a-z2-7]{26}$/;
export const LIST_LIMIT = 200;

export type RxStatus = 'draft' | 'signed' | 'cancelled';

export interface RxItem extends RxItemInput {
  id: string;
  position: number;
}

export interface Prescription {
  id: string;
  patientId: string;
  encounterId: string | null;
  prescriberId: string;
  prescriberName: string;
  licenceNo: string;
  status: RxStatus;
  allergyOverride: boolean;
  /** Allergy substances that matched when it was written (decrypted). */
  allergyMatches: string[];
  createdAt: string;
  createdBy: string;
  signedAt: string | null;
  signedBy: string | null;
  cancelledAt: string | null;
  cancelledBy: string | null;
  cancelReason: string;
  items: RxItem[];
}

type Table = 'prescriptions' | 'prescription_items' | 'allergies';
type Row = typeof prescriptions.$inferSelect;
type ItemRow = typeof prescriptionItems.$inferSelect;

/** This feature's tables only (tenancy/columns.ts does the work). */
export const seal = (h: ClinicHandle, table: Table, column: string, rowId: string, text: string) => sealColumn(h, table, column, rowId, text);
export const unseal = (h: ClinicHandle, table: Table, column: string, rowId: string, token: string | null) => unsealColumn(h, table, column, rowId, token);

export async function rxRow(db: ClinicDb | ClinicTx, id: string): Promise<Row | undefined> {
  return (await db.select().from(prescriptions).where(eq(prescriptions.id, id)))[0];
}

async function toItem(h: ClinicHandle, r: ItemRow): Promise<RxItem> {
  const u = (column: string, v: string | null) => unseal(h, 'prescription_items', column, r.id, v);
  return {
    id: r.id,
    position: r.position,
    medicine: await u('medicine', r.medicine),
    strength: await u('strength', r.strength),
    form: r.form ?? '',
    dose: await u('dose', r.dose),
    route: r.route ?? '',
    frequency: r.frequency ?? '',
    duration: r.duration ?? '',
    quantity: r.quantity,
    refills: r.refills,
    instructionsEn: await u('instructions_en', r.instructionsEn),
    instructionsAr: await u('instructions_ar', r.instructionsAr),
  };
}

export async function toPrescription(h: ClinicHandle, r: Row): Promise<Prescription> {
  const itemRows = await h.db.select().from(prescriptionItems).where(eq(prescriptionItems.prescriptionId, r.id)).orderBy(prescriptionItems.position);
  const matches = await unseal(h, 'prescriptions', 'allergy_matches', r.id, r.allergyMatches);
  return {
    id: r.id,
    patientId: r.patientId,
    encounterId: r.encounterId,
    prescriberId: r.prescriberId,
    prescriberName: r.prescriberName,
    licenceNo: r.licenceNo,
    status: r.status as RxStatus,
    allergyOverride: r.allergyOverride === 1,
    allergyMatches: matches ? (JSON.parse(matches) as string[]) : [],
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    signedAt: r.signedAt,
    signedBy: r.signedBy,
    cancelledAt: r.cancelledAt,
    cancelledBy: r.cancelledBy,
    cancelReason: await unseal(h, 'prescriptions', 'cancel_reason', r.id, r.cancelReason),
    items: await Promise.all(itemRows.map((i) => toItem(h, i))),
  };
}

export async function rxRowsOf(db: ClinicDb, patientId: string): Promise<Row[]> {
  return db.select().from(prescriptions).where(eq(prescriptions.patientId, patientId)).orderBy(desc(prescriptions.createdAt), desc(prescriptions.id)).limit(LIST_LIMIT);
}

export async function sealItems(h: ClinicHandle, prescriptionId: string, items: RxItemInput[]): Promise<ItemRow[]> {
  return Promise.all(
    items.map(async (it, position) => {
      const id = `rxi_${prescriptionId.slice(3)}_${position}`;
      const s = (column: string, v: string) => seal(h, 'prescription_items', column, id, v);
      return {
        id,
        prescriptionId,
        position,
        medicine: (await s('medicine', it.medicine))!,
        strength: await s('strength', it.strength),
        form: it.form || null,
        dose: await s('dose', it.dose),
        route: it.route || null,
        frequency: it.frequency || null,
        duration: it.duration || null,
        quantity: it.quantity,
        refills: it.refills,
        instructionsEn: await s('instructions_en', it.instructionsEn),
        instructionsAr: await s('instructions_ar', it.instructionsAr),
      };
    }),
  );
}

/**
 * The active allergy substances of a patient, decrypted. The clinical feature records them
 * (src/features/clinical) and exposes no single-purpose read, so this reads its table with the same
 * associated data it seals with (clinic, 'allergies', 'substance', row id).
 */
export async function activeAllergySubstances(h: ClinicHandle, patientId: string): Promise<string[]> {
  const rows = await h.db
    .select({ id: allergies.id, substance: allergies.substance })
    .from(allergies)
    .where(and(eq(allergies.patientId, patientId), eq(allergies.status, 'active')));
  return Promise.all(rows.map((r) => unseal(h, 'allergies', 'substance', r.id, r.substance)));
}

export async function encounterOfPatient(db: ClinicDb, encounterId: string, patientId: string): Promise<boolean> {
  const rows = await db.select({ id: encounters.id }).from(encounters).where(and(eq(encounters.id, encounterId), eq(encounters.patientId, patientId)));
  return rows.length > 0;
}

export async function licenceOf(db: ClinicDb, userId: string): Promise<string | null> {
  return (await db.select({ l: prescriberProfiles.licenceNo }).from(prescriberProfiles).where(eq(prescriberProfiles.userId, userId)))[0]?.l ?? null;
}

export async function rememberLicence(tx: ClinicTx, userId: string, licenceNo: string, at: string): Promise<void> {
  await tx
    .insert(prescriberProfiles)
    .values({ userId, licenceNo, updatedAt: at })
    .onConflictDoUpdate({ target: prescriberProfiles.userId, set: { licenceNo, updatedAt: at } });
}
