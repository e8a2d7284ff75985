// Prescriptions: a header (patient, prescriber and licence snapshot, status) and its items. Free text
// that can reveal the patient's condition is encrypted (CR1: associated data = clinic, table, column,
// row id); form, route, frequency, duration, quantity and refills stay plain. A prescription is
// never deleted: it is signed (then locked) or cancelled with a reason.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { patients } from './patients.ts';

export const prescriptions = sqliteTable(
  'prescriptions',
  {
    /** rx_ + 26 base32 characters. */
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    /** The encounter it was written in, if any (enc_...). */
    encounterId: text('encounter_id'),
    prescriberId: text('prescriber_id').notNull(),
    /** Snapshots, as printed: a later change of name or licence does not rewrite old prescriptions. */
    prescriberName: text('prescriber_name').notNull(),
    licenceNo: text('licence_no').notNull(),
    /** draft | signed | cancelled */
    status: text('status').notNull().default('draft'),
    /** 1 when an allergy warning was shown and the prescriber chose to prescribe anyway. */
    allergyOverride: integer('allergy_override').notNull().default(0),
    /** Encrypted: the allergy substances that matched (JSON array), or null. */
    allergyMatches: text('allergy_matches'),
    createdAt: text('created_at').notNull(),
    createdBy: text('created_by').notNull(),
    signedAt: text('signed_at'),
    signedBy: text('signed_by'),
    cancelledAt: text('cancelled_at'),
    cancelledBy: text('cancelled_by'),
    /** Encrypted. */
    cancelReason: text('cancel_reason'),
  },
  (t) => [index('prescriptions_patient').on(t.patientId, t.createdAt)],
);

export const prescriptionItems = sqliteTable(
  'prescription_items',
  {
    /** rxi_ + 26 base32 characters. */
    id: text('id').primaryKey(),
    prescriptionId: text('prescription_id')
      .notNull()
      .references(() => prescriptions.id),
    position: integer('position').notNull(),
    /** Encrypted. */
    medicine: text('medicine').notNull(),
    /** Encrypted (null when empty). */
    strength: text('strength'),
    form: text('form'),
    /** Encrypted (null when empty). */
    dose: text('dose'),
    route: text('route'),
    frequency: text('frequency'),
    duration: text('duration'),
    quantity: integer('quantity'),
    refills: integer('refills').notNull().default(0),
    /** Encrypted (null when empty). */
    instructionsEn: text('instructions_en'),
    instructionsAr: text('instructions_ar'),
  },
  (t) => [index('prescription_items_prescription').on(t.prescriptionId, t.position)],
);

/** What a prescriber enters once and the next prescription form remembers. */
export const prescriberProfiles = sqliteTable('prescriber_profiles', {
  userId: text('user_id').primaryKey(),
  licenceNo: text('licence_no').notNull(),
  updatedAt: text('updated_at').notNull(),
});
