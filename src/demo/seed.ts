// The deterministic demo clinic (CONTRACT.md): slug `demo`, one user per role. Later features add
// their demo records here (clinical records: src/demo/clinical.ts).
import type { Assets, PasswordHasher } from '../platform/ports.ts';
import type { ControlDb } from '../tenancy/db.ts';
import type { ClinicRegistry, ClinicRow } from '../tenancy/registry.ts';
import type { Role } from '../access/roles.ts';
import { addMember, findUserByEmail } from '../auth/users.ts';
import { ROLES } from '../access/roles.ts';
import { seedDemoPatients } from './patients.ts';
import { seedDemoClinical } from './clinical.ts';
import { seedDemoDental } from './dental.ts';
import { seedDemoDocuments } from './documents.ts';
import { seedDemoForms } from './forms.ts';

export const DEMO_SLUG = 'demo';

export const DEMO_USERS: { email: string; role: Role; name: string }[] = [
  { email: 'admin@demo.test', role: 'admin', name: 'Fatima Al-Mansoori' },
  { email: 'doctor@demo.test', role: 'doctor', name: 'Dr. Ahmed Al-Khalifa' },
  { email: 'nurse@demo.test', role: 'nurse', name: 'Mariam Hassan' },
  { email: 'reception@demo.test', role: 'receptionist', name: 'Noor Abdulla' },
  { email: 'accountant@demo.test', role: 'accountant', name: 'Yusuf Rahman' },
  { email: 'assistant@demo.test', role: 'assistant', name: 'Layla Saeed' },
];

/**
 * Creates the demo clinic, its users and patients and, with `clinical` (as `invent demo` and the
 * first start ask), their clinical records (src/demo/clinical.ts); a second run changes nothing.
 * Test installations leave the clinical records out unless they ask, so their counts start at zero.
 */
export async function seedDemo(
  deps: { control: ControlDb; clinics: ClinicRegistry; hasher: PasswordHasher; assets?: Assets },
  password: string,
  opts: { clinical?: boolean } = {},
): Promise<{ clinic: ClinicRow; created: boolean }> {
  let clinic = await deps.clinics.bySlug(DEMO_SLUG);
  const created = !clinic;
  if (!clinic) {
    clinic = await deps.clinics.create({
      slug: DEMO_SLUG,
      name: 'Demo Clinic',
      timezone: 'Asia/Bahrain',
      settings: { twoFactor: Object.fromEntries(ROLES.map((r) => [r, 'optional' as const])) },
    });
  }
  for (const u of DEMO_USERS) {
    if (await findUserByEmail(deps.control, u.email)) continue;
    await addMember(deps.control, deps.hasher, {
      email: u.email,
      clinicId: clinic.id,
      roles: [u.role],
      displayName: u.name,
      password,
    });
  }
  await seedDemoPatients(deps.clinics, clinic.id);
  if (opts.clinical) {
    const doctor = await findUserByEmail(deps.control, 'doctor@demo.test');
    const nurse = await findUserByEmail(deps.control, 'nurse@demo.test');
    if (doctor && nurse) await seedDemoClinical(deps.clinics, clinic.id, { doctorId: doctor.id, doctorName: doctor.displayName, nurseId: nurse.id });
    await seedDemoDental(deps, clinic.id);
    if (doctor && nurse) await seedDemoDocuments(deps.clinics, clinic.id, { doctorId: doctor.id, nurseId: nurse.id });
    // Signed consents carry a PDF, which needs the shipped fonts: seeded where the caller passes them (invent demo, first start).
    if (doctor && deps.assets) await seedDemoForms({ clinics: deps.clinics, control: deps.control, assets: deps.assets }, clinic.id, { doctorId: doctor.id, doctorName: doctor.displayName });
  }
  return { clinic, created };
}
