// Demo patients D-0001 ... D-0040 (CONTRACT.md): deterministic names in both scripts, CPR numbers
// and phones; D-0001 has every field filled. Written in one transaction, audited as the system.
import { systemClock, type Clock } from '../platform/ports.ts';
import type { ClinicRegistry } from '../tenancy/registry.ts';
import { SYSTEM } from '../audit/types.ts';
import { newId } from '../crypto/bytes.ts';
import { PatientService } from '../features/patients/service.ts';
import { registerSchema, toDemographics, type Demographics } from '../features/patients/demographics.ts';

export const DEMO_PATIENT_COUNT = 40;
export const demoMrn = (n: number) => `D-${String(n).padStart(4, '0')}`;

const FEMALE: [string, string][] = [
  ['Fatima', 'فاطمة'], ['Maryam', 'مريم'], ['Zainab', 'زينب'], ['Noora', 'نورة'], ['Aisha', 'عائشة'],
  ['Huda', 'هدى'], ['Latifa', 'لطيفة'], ['Sara', 'سارة'], ['Amal', 'أمل'], ['Reem', 'ريم'],
];
const MALE: [string, string][] = [
  ['Ahmed', 'أحمد'], ['Mohammed', 'محمد'], ['Ali', 'علي'], ['Hassan', 'حسن'], ['Yousif', 'يوسف'],
  ['Khalid', 'خالد'], ['Abdulla', 'عبدالله'], ['Hamad', 'حمد'], ['Jassim', 'جاسم'], ['Salman', 'سلمان'],
];
const FAMILY: [string, string][] = [
  ['Al-Khalifa', 'آل خليفة'], ['Al-Mahmood', 'المحمود'], ['Al-Doseri', 'الدوسري'], ['Al-Sayed', 'السيد'],
  ['Al-Aradi', 'العرادي'], ['Bucheeri', 'بوجيري'], ['Al-Mannai', 'المناعي'], ['Janahi', 'جناحي'],
  ['Al-Shirawi', 'الشيراوي'], ['Fakhro', 'فخرو'], ['Kanoo', 'كانو'], ['Al-Zayani', 'الزياني'], ['Al-Jishi', 'الجشي'],
];
const NATIONALITIES = ['Bahraini', 'Bahraini', 'Bahraini', 'Saudi', 'Indian', 'Egyptian', 'Filipino'];

function demoForm(i: number): Record<string, string> {
  const female = i % 2 === 1;
  const [givenEn, givenAr] = (female ? FEMALE : MALE)[Math.floor(i / 2) % 10]!;
  const [familyEn, familyAr] = FAMILY[(i * 7) % FAMILY.length]!;
  const year = 1950 + ((i * 7) % 66);
  const month = ((i * 5) % 12) + 1;
  const day = ((i * 11) % 28) + 1;
  const dob = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const cpr = `${String(year % 100).padStart(2, '0')}${String(month).padStart(2, '0')}${String(10000 + ((i * 7919) % 90000)).slice(-5)}`;
  const phone = `+97336${String(100000 + i * 1237).slice(-6)}`;
  return {
    givenNameEn: givenEn,
    familyNameEn: familyEn,
    givenNameAr: givenAr,
    familyNameAr: familyAr,
    dateOfBirth: dob,
    sex: female ? 'female' : 'male',
    cpr,
    nationality: NATIONALITIES[i % NATIONALITIES.length]!,
    phone,
    preferredLanguage: i % 3 === 0 ? 'en' : 'ar',
  };
}

/** D-0001: every field filled, Arabic and English names. */
const RICH: Record<string, string> = {
  givenNameEn: 'Maryam',
  familyNameEn: 'Al-Mahmood',
  fullNameEn: 'Maryam Ahmed Al-Mahmood',
  givenNameAr: 'مريم',
  familyNameAr: 'المحمود',
  fullNameAr: 'مريم أحمد المحمود',
  dateOfBirth: '1984-03-21',
  sex: 'female',
  cpr: '840312345',
  nationality: 'Bahraini',
  phone: '+973 3600 1234',
  phone2: '+973 1772 0000',
  email: 'maryam.almahmood@example.com',
  address: 'Flat 12, Building 345, Road 2803, Block 428, Seef, Manama',
  emergencyName: 'Ahmed Al-Mahmood',
  emergencyRelationship: 'Father',
  emergencyPhone: '+973 3900 5678',
  insurancePayer: 'Bahrain National Life',
  insuranceMember: 'BNL-0048213',
  insuranceExpiry: '2027-12-31',
  preferredLanguage: 'ar',
};

export function demoPatientRecords(today: string): { mrn: string; demographics: Demographics }[] {
  const out: { mrn: string; demographics: Demographics }[] = [];
  for (let n = 1; n <= DEMO_PATIENT_COUNT; n++) {
    const form = registerSchema.parse(n === 1 ? RICH : demoForm(n));
    const checked = toDemographics(form, today);
    if (!checked.ok) throw new Error(`demo patient ${demoMrn(n)} is not valid: ${Object.keys(checked.errors).join(',')}`);
    out.push({ mrn: demoMrn(n), demographics: checked.value });
  }
  return out;
}

/** Creates the demo patients unless D-0001 exists; returns how many were created. */
export async function seedDemoPatients(clinics: ClinicRegistry, clinicId: string, clock: Clock = systemClock): Promise<number> {
  const service = new PatientService({ clinics, clock });
  if (await service.getByMrn(clinicId, demoMrn(1))) return 0;
  const records = demoPatientRecords(await service.today(clinicId));
  const ctx = { clinicId, actor: SYSTEM, requestId: newId('req'), route: 'invent demo' };
  return (await service.create(ctx, records)).length;
}

/**
 * Synthetic patients for benchmarks (`invent demo --patients N`): MRNs B-000001 ..., names in both
 * scripts, CPR numbers and phones, all deterministic. Fills up to `count` (a refill adds only the
 * missing ones), `batch` patients per transaction; returns how many were created.
 */
export async function seedBenchPatients(
  clinics: ClinicRegistry,
  clinicId: string,
  count: number,
  opts: { clock?: Clock; batch?: number; onProgress?: (done: number) => void } = {},
): Promise<number> {
  const service = new PatientService({ clinics, clock: opts.clock ?? systemClock });
  const h = await clinics.get(clinicId);
  const have = Number((await h.client.execute("SELECT count(*) AS n FROM patients WHERE mrn LIKE 'B-%'")).rows[0]?.n ?? 0);
  const today = await service.today(clinicId);
  const batch = opts.batch ?? 500;
  let created = 0;
  for (let start = have + 1; start <= count; start += batch) {
    const records: { mrn: string; demographics: Demographics }[] = [];
    for (let n = start; n < Math.min(start + batch, count + 1); n++) {
      const form = demoForm(n);
      // Vary more than the demo clinic does: second given name and a wider spread of numbers.
      const [midEn, midAr] = MALE[Math.floor(n / 20) % MALE.length]!;
      form.fullNameEn = `${form.givenNameEn} ${midEn} ${form.familyNameEn}`;
      form.fullNameAr = `${form.givenNameAr} ${midAr} ${form.familyNameAr}`;
      form.cpr = `${form.cpr!.slice(0, 4)}${String(n % 100000).padStart(5, '0')}`;
      form.phone = `+9733${String(6000000 + (n % 3000000)).padStart(7, '0')}`;
      const checked = toDemographics(registerSchema.parse(form), today);
      if (!checked.ok) throw new Error(`bench patient ${n} is not valid: ${Object.keys(checked.errors).join(',')}`);
      records.push({ mrn: `B-${String(n).padStart(6, '0')}`, demographics: checked.value });
    }
    const ctx = { clinicId, actor: SYSTEM, requestId: newId('req'), route: 'invent demo' };
    created += (await service.create(ctx, records)).length;
    opts.onProgress?.(start - 1 + records.length);
  }
  return created;
}
