// D-0001's dental chart for the demo clinic (CONTRACT.md): findings on several teeth recorded over
// a year and a half by the demo dentist (a filling that replaced caries, a root-filled crowned
// molar, a missing wisdom tooth, planned work) and one draft by the assistant awaiting review.
// Deterministic: dates count back from now, nothing comes from chance. Does nothing when D-0001
// already has dental entries. Entries and their audit events commit together.
import { eq } from 'drizzle-orm';
import { systemClock, type Clock } from '../platform/ports.ts';
import type { ControlDb } from '../tenancy/db.ts';
import type { ClinicRegistry } from '../tenancy/registry.ts';
import { dentalEntries, patients } from '../tenancy/schema/clinic/index.ts';
import { auditedDbWrite } from '../audit/log.ts';
import { SYSTEM, type AuditEvent } from '../audit/types.ts';
import { findUserByEmail } from '../auth/users.ts';
import { newId } from '../crypto/bytes.ts';
import { toEntries, type EntryInput } from '../dental/findings.ts';
import { rowsOf } from '../features/dental/repo.ts';

const DAY = 86_400_000;

type Visit = { daysAgo: number; draft?: boolean; entries: Partial<EntryInput>[] };

const VISITS: Visit[] = [
  {
    daysAgo: 540,
    entries: [
      { tooth: 18, finding: 'missing', note: 'Extracted elsewhere as a teenager.' },
      { tooth: 16, finding: 'caries', surfaces: ['O'] },
      { tooth: 46, finding: 'filling', surfaces: ['M', 'O', 'D'], material: 'amalgam' },
      { tooth: 36, finding: 'root-canal' },
      { tooth: 36, finding: 'crown', material: 'metal-ceramic' },
      { tooth: 11, finding: 'note', note: 'Small chip on the incisal edge; patient not bothered.' },
    ],
  },
  {
    daysAgo: 200,
    entries: [
      { tooth: 16, finding: 'caries', surfaces: ['O'], action: 'remove', note: 'Caries excavated.' },
      { tooth: 16, finding: 'filling', surfaces: ['O'], material: 'composite' },
      { tooth: 26, finding: 'caries', surfaces: ['O', 'D'] },
      { tooth: 26, finding: 'filling', surfaces: ['O', 'D'], material: 'composite', status: 'planned' },
      { tooth: 47, finding: 'sealant', surfaces: ['O'] },
    ],
  },
  {
    daysAgo: 30,
    entries: [
      { tooth: 38, finding: 'to-extract', note: 'Partially erupted, recurrent pericoronitis.' },
      { tooth: 38, finding: 'extracted', status: 'planned' },
      { tooth: 21, finding: 'fracture', surfaces: ['O'] },
      { tooth: 24, finding: 'crown', material: 'zirconia', status: 'planned' },
    ],
  },
  { daysAgo: 7, draft: true, entries: [{ tooth: 44, finding: 'caries', surfaces: ['B'], note: 'Seen on the bitewing; please check.' }] },
];

/** Seeds D-0001's dental chart; returns how many entries it wrote. */
export async function seedDemoDental(deps: { clinics: ClinicRegistry; control: ControlDb }, clinicId: string, clock: Clock = systemClock): Promise<number> {
  const h = await deps.clinics.get(clinicId);
  const patient = (await h.db.select({ id: patients.id }).from(patients).where(eq(patients.mrn, 'D-0001')))[0];
  const doctor = await findUserByEmail(deps.control, 'doctor@demo.test');
  const assistant = await findUserByEmail(deps.control, 'assistant@demo.test');
  if (!patient || !doctor) return 0;
  if ((await h.db.select({ id: dentalEntries.id }).from(dentalEntries).where(eq(dentalEntries.patientId, patient.id)).limit(1)).length > 0) return 0;
  const now = clock.now().getTime();
  const entries = VISITS.flatMap((v, vi) =>
    v.entries.flatMap((e, ei) => {
      const input: EntryInput = { tooth: 16, surfaces: [], finding: 'caries', action: 'record', status: 'completed', material: null, note: '', ...e };
      // Minutes apart within a visit, so the order recorded is the order written here.
      const at = new Date(now - v.daysAgo * DAY + (vi * 100 + ei) * 60_000).toISOString();
      const by = v.draft && assistant ? assistant.id : doctor.id;
      return toEntries(input, { patientId: patient.id, at, by, draft: !!v.draft && !!assistant }, () => newId('dnt'));
    }),
  );
  const rows = await rowsOf(h, entries);
  const events: AuditEvent[] = entries.map((e) => ({
    action: 'create',
    outcome: 'success',
    actor: SYSTEM,
    entity: { type: 'dental-entry', id: e.id, patientId: patient.id },
    route: 'invent demo',
    requestId: null,
    detail: { tooth: e.tooth, surface: e.surface, finding: e.finding, action: e.action, status: e.status, draft: e.draft },
  }));
  await auditedDbWrite(h.db, clock, async (tx) => {
    await tx.insert(dentalEntries).values(rows);
    return { result: undefined, events };
  });
  return entries.length;
}
