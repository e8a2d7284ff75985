// The `bench` clinic for benchmarks (CONTRACT.md): N synthetic patients, its six users as
// <role>@bench.test with the demo password. Created once, refilled by later runs.
import type { Clock, PasswordHasher } from '../platform/ports.ts';
import type { ControlDb } from '../tenancy/db.ts';
import type { ClinicRegistry, ClinicRow } from '../tenancy/registry.ts';
import { ROLES } from '../access/roles.ts';
import { addMember, findUserByEmail } from '../auth/users.ts';
import { seedBenchPatients } from './patients.ts';
import { seedBenchClinical } from './clinical.ts';

export const BENCH_SLUG = 'bench';

export const benchEmail = (role: string) => `${role === 'receptionist' ? 'reception' : role}@bench.test`;

export async function seedBench(
  deps: { control: ControlDb; clinics: ClinicRegistry; hasher: PasswordHasher; clock: Clock },
  opts: {
    password: string;
    patients: number;
    /** Encounters of B-000001 (topped up to this many); the others get 0-3 each. */
    encounters?: number | undefined;
    onProgress?: (done: number) => void;
    onEncounters?: (patients: number, encounters: number) => void;
  },
): Promise<{ clinic: ClinicRow; added: number; encounters: number }> {
  let clinic = await deps.clinics.bySlug(BENCH_SLUG);
  if (!clinic) {
    clinic = await deps.clinics.create({
      slug: BENCH_SLUG,
      name: 'Bench Clinic',
      settings: { twoFactor: Object.fromEntries(ROLES.map((r) => [r, 'optional' as const])) },
    });
  }
  for (const role of ROLES) {
    if (await findUserByEmail(deps.control, benchEmail(role))) continue;
    await addMember(deps.control, deps.hasher, { email: benchEmail(role), clinicId: clinic.id, roles: [role], displayName: `Bench ${role}`, password: opts.password });
  }
  const added = await seedBenchPatients(deps.clinics, clinic.id, opts.patients, { clock: deps.clock, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  const doctor = await findUserByEmail(deps.control, benchEmail('doctor'));
  const nurse = await findUserByEmail(deps.control, benchEmail('nurse'));
  if (!doctor || !nurse) throw new Error(`the bench clinic lacks ${benchEmail('doctor')} or ${benchEmail('nurse')}`);
  const encounters = await seedBenchClinical(
    deps.clinics,
    clinic.id,
    { doctorId: doctor.id, doctorName: doctor.displayName, nurseId: nurse.id },
    { clock: deps.clock, ...(opts.encounters ? { richEncounters: opts.encounters } : {}), ...(opts.onEncounters ? { onProgress: opts.onEncounters } : {}) },
  );
  return { clinic, added, encounters };
}
