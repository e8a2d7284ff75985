// The deterministic demo clinic (CONTRACT.md): slug `demo`, one user per role. Later features add
// their demo records here.
import type { PasswordHasher } from '../platform/ports.ts';
import type { ControlDb } from '../tenancy/db.ts';
import type { ClinicRegistry, ClinicRow } from '../tenancy/registry.ts';
import type { Role } from '../access/roles.ts';
import { addMember, findUserByEmail } from '../auth/users.ts';
import { ROLES } from '../access/roles.ts';
import { seedDemoPatients } from './patients.ts';

export const DEMO_SLUG = 'demo';

export const DEMO_USERS: { email: string; role: Role; name: string }[] = [
  { email: 'admin@demo.test', role: 'admin', name: 'Fatima Al-Mansoori' },
  { email: 'doctor@demo.test', role: 'doctor', name: 'Dr. Ahmed Al-Khalifa' },
  { email: 'nurse@demo.test', role: 'nurse', name: 'Mariam Hassan' },
  { email: 'reception@demo.test', role: 'receptionist', name: 'Noor Abdulla' },
  { email: 'accountant@demo.test', role: 'accountant', name: 'Yusuf Rahman' },
  { email: 'assistant@demo.test', role: 'assistant', name: 'Layla Saeed' },
];

/** Creates the demo clinic and its users; a second run changes nothing. */
export async function seedDemo(
  deps: { control: ControlDb; clinics: ClinicRegistry; hasher: PasswordHasher },
  password: string,
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
  return { clinic, created };
}
