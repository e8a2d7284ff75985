// The dental chart's domain: FDI <-> Universal numbering for all 52 teeth, surface names per tooth,
// the rules of an entry, and the fold of dated entries into the chart as of any moment.
import { describe, expect, it } from 'vitest';
import { ALL_TEETH, PERMANENT_TEETH, PRIMARY_TEETH, fromUniversal, parseFdi, toUniversal, toothInfo } from '../../src/dental/teeth.ts';
import { checkEntry, surfaceCode, surfaceName, toEntries, type DentalEntry, type EntryInput } from '../../src/dental/findings.ts';
import { foldChart, onSurface, stateOf } from '../../src/dental/fold.ts';
import { endOfLocalDay, localDay } from '../../src/dental/as-of.ts';

describe('numbering', () => {
  it('has the 32 permanent and 20 primary teeth, each once', () => {
    expect(PERMANENT_TEETH).toHaveLength(32);
    expect(PRIMARY_TEETH).toHaveLength(20);
    expect(new Set(ALL_TEETH).size).toBe(52);
    expect(PERMANENT_TEETH.every((n) => n >= 11 && n <= 48 && n % 10 >= 1 && n % 10 <= 8)).toBe(true);
    expect(PRIMARY_TEETH.every((n) => n >= 51 && n <= 85 && n % 10 >= 1 && n % 10 <= 5)).toBe(true);
  });

  // The Universal system, written out by hand from the ADA chart (not computed like the code does).
  const UNIVERSAL: Record<number, string> = {
    18: '1', 17: '2', 16: '3', 15: '4', 14: '5', 13: '6', 12: '7', 11: '8',
    21: '9', 22: '10', 23: '11', 24: '12', 25: '13', 26: '14', 27: '15', 28: '16',
    38: '17', 37: '18', 36: '19', 35: '20', 34: '21', 33: '22', 32: '23', 31: '24',
    41: '25', 42: '26', 43: '27', 44: '28', 45: '29', 46: '30', 47: '31', 48: '32',
    55: 'A', 54: 'B', 53: 'C', 52: 'D', 51: 'E', 61: 'F', 62: 'G', 63: 'H', 64: 'I', 65: 'J',
    75: 'K', 74: 'L', 73: 'M', 72: 'N', 71: 'O', 81: 'P', 82: 'Q', 83: 'R', 84: 'S', 85: 'T',
  };

  it('converts all 52 teeth FDI -> Universal and back', () => {
    expect(Object.keys(UNIVERSAL)).toHaveLength(52);
    for (const fdi of ALL_TEETH) {
      expect(toUniversal(fdi), `FDI ${fdi}`).toBe(UNIVERSAL[fdi]);
      expect(fromUniversal(UNIVERSAL[fdi]!), `Universal ${UNIVERSAL[fdi]}`).toBe(fdi);
      expect(fromUniversal(UNIVERSAL[fdi]!.toLowerCase())).toBe(fdi);
    }
    expect(new Set(ALL_TEETH.map(toUniversal)).size).toBe(52);
  });

  it('refuses what names no tooth', () => {
    for (const bad of ['0', '33', 'U', 'Z', '', '1.5', ' ', '08', 'AA']) expect(fromUniversal(bad), bad).toBeUndefined();
    for (const bad of ['19', '10', '56', '90', '9', '111', 'x1', '']) expect(parseFdi(bad), bad).toBeUndefined();
    expect(parseFdi('16')).toBe(16);
    expect(() => toUniversal(19)).toThrow(RangeError);
  });

  it('knows each tooth: arch, side, dentition, front or back', () => {
    expect(toothInfo(16)).toMatchObject({ arch: 'upper', side: 'right', dentition: 'permanent', anterior: false, kind: 'firstMolar' });
    expect(toothInfo(21)).toMatchObject({ arch: 'upper', side: 'left', anterior: true, kind: 'centralIncisor' });
    expect(toothInfo(38)).toMatchObject({ arch: 'lower', side: 'left', kind: 'thirdMolar' });
    expect(toothInfo(84)).toMatchObject({ arch: 'lower', side: 'right', dentition: 'primary', kind: 'firstMolar' });
  });

  it('names surfaces by the tooth: incisal and labial on front teeth, palatal on upper teeth', () => {
    expect([surfaceName(16, 'O'), surfaceName(16, 'B'), surfaceName(16, 'L')]).toEqual(['occlusal', 'buccal', 'palatal']);
    expect([surfaceName(31, 'O'), surfaceName(31, 'B'), surfaceName(31, 'L')]).toEqual(['incisal', 'labial', 'lingual']);
    expect([surfaceCode(11, 'O'), surfaceCode(46, 'O'), surfaceCode(46, 'M')]).toEqual(['I', 'O', 'M']);
  });
});

const input = (o: Partial<EntryInput>): EntryInput => ({ tooth: 16, surfaces: [], finding: 'caries', action: 'record', status: 'completed', material: null, note: '', ...o });

describe('entry rules', () => {
  it('surface findings need a surface, whole-tooth ones refuse them', () => {
    expect(checkEntry(input({ finding: 'caries' }), { draft: false })).toEqual({ surfaces: 'dental.error.surfaceNeeded' });
    expect(checkEntry(input({ finding: 'crown', surfaces: ['O'] }), { draft: false })).toEqual({ surfaces: 'dental.error.noSurfaces' });
    expect(checkEntry(input({ finding: 'caries', surfaces: ['O'] }), { draft: false })).toEqual({});
  });

  it('only treatments are planned, only restorations have a material, notes need text', () => {
    expect(checkEntry(input({ surfaces: ['O'], status: 'planned' }), { draft: false }).status).toBe('dental.error.notPlannable');
    expect(checkEntry(input({ finding: 'crown', status: 'planned', material: 'zirconia' }), { draft: false })).toEqual({});
    expect(checkEntry(input({ finding: 'missing', material: 'gold' }), { draft: false }).material).toBe('dental.error.noMaterial');
    expect(checkEntry(input({ finding: 'note', note: '  ' }), { draft: false }).note).toBe('dental.error.noteNeeded');
    expect(checkEntry(input({ finding: 'note', note: 'x', action: 'remove' }), { draft: false }).action).toBe('dental.error.noteAction');
    expect(checkEntry(input({ finding: 'note', note: 'a\u202eb' }), { draft: false }).note).toBe('form.invalid');
    expect(checkEntry(input({ finding: 'note', note: 'x'.repeat(1001) }), { draft: false }).note).toBe('form.tooLong');
  });

  it('a draft can only propose', () => {
    expect(checkEntry(input({ surfaces: ['O'], action: 'remove' }), { draft: true }).action).toBe('dental.error.draftAction');
    expect(checkEntry(input({ surfaces: ['O'], action: 'reject' }), { draft: true }).action).toBe('dental.error.draftAction');
    expect(checkEntry(input({ surfaces: ['O'] }), { draft: true })).toEqual({});
  });

  it('one submission over several surfaces makes one entry per surface', () => {
    let n = 0;
    const out = toEntries(input({ finding: 'filling', surfaces: ['M', 'O', 'D', 'O'], material: 'composite', note: ' MOD ' }), { patientId: 'p', at: 't', by: 'u', draft: false }, () => `e${n++}`);
    expect(out.map((e) => e.surface)).toEqual(['M', 'O', 'D']);
    expect(out.every((e) => e.material === 'composite' && e.note === 'MOD')).toBe(true);
  });
});

let seq = 0;
const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 0, day, hour)).toISOString();
const entry = (day: number, o: Partial<DentalEntry>): DentalEntry => ({
  id: `dnt_${String(seq++).padStart(4, '0')}`,
  patientId: 'pat_1',
  tooth: 16,
  surface: null,
  finding: 'caries',
  action: 'record',
  status: 'completed',
  material: null,
  draft: false,
  note: '',
  at: at(day),
  by: 'u_doctor',
  ...o,
});

describe('fold as of a date', () => {
  const entries: DentalEntry[] = [
    entry(1, { surface: 'O', finding: 'caries' }),
    entry(2, { surface: 'O', finding: 'filling', status: 'planned', material: 'composite' }),
    entry(3, { tooth: 21, finding: 'crown', material: 'ceramic' }),
    entry(4, { surface: 'O', finding: 'caries', action: 'remove', note: 'excavated' }),
    entry(4, { surface: 'O', finding: 'filling', material: 'composite' }),
    entry(5, { tooth: 36, finding: 'missing' }),
    entry(6, { tooth: 36, finding: 'implant', status: 'planned' }),
    entry(7, { tooth: 36, finding: 'implant' }),
    entry(8, { tooth: 21, finding: 'root-canal' }),
    entry(9, { tooth: 36, finding: 'missing', action: 'remove' }),
  ];

  it('before anything, the chart is empty; each day shows what was recorded up to it', () => {
    expect(foldChart(entries, at(1, 0)).teeth.size).toBe(0);
    const d1 = foldChart(entries, at(2, 0));
    expect(onSurface(d1.teeth.get(16), 'O').map((f) => f.finding)).toEqual(['caries']);
    const d2 = foldChart(entries, at(3, 0));
    expect(d2.teeth.get(16)!.planned.map((f) => [f.finding, f.surface, f.material])).toEqual([['filling', 'O', 'composite']]);
    expect(d2.teeth.has(21)).toBe(false);
  });

  it('completing a planned treatment closes the plan; removing a finding takes only it away', () => {
    const d4 = foldChart(entries, at(5, 0));
    const t16 = d4.teeth.get(16)!;
    expect(onSurface(t16, 'O').map((f) => f.finding)).toEqual(['filling']);
    expect(t16.planned).toEqual([]);
    expect(t16.notes.map((n) => n.note)).toEqual(['excavated']);
    expect(t16.history).toHaveLength(4);
    expect(d4.teeth.get(21)!.findings.map((f) => f.finding)).toEqual(['crown']);
  });

  it('the tooth state is one at a time; removing an old state leaves the newer one', () => {
    expect(stateOf(foldChart(entries, at(6, 0)).teeth.get(36))).toBe('missing');
    expect(foldChart(entries, at(7, 0)).teeth.get(36)!.planned.map((f) => f.finding)).toEqual(['implant']);
    const d7 = foldChart(entries, at(8, 0)).teeth.get(36)!;
    expect(stateOf(d7)).toBe('implant');
    expect(d7.planned).toEqual([]);
    // Removing "missing" (long replaced) changes nothing.
    expect(stateOf(foldChart(entries).teeth.get(36))).toBe('implant');
    expect(stateOf(undefined)).toBe('present');
  });

  it('whole-tooth treatments stand together', () => {
    expect(foldChart(entries).teeth.get(21)!.findings.map((f) => f.finding)).toEqual(['crown', 'root-canal']);
  });

  it('drafts stand apart until a dentist settles them, and never change the dentist\'s chart', () => {
    const base = [entry(1, { surface: 'O', finding: 'caries' })];
    const withDrafts = [
      ...base,
      entry(2, { surface: 'O', finding: 'sealant', draft: true, by: 'u_assistant' }),
      entry(2, { surface: 'M', finding: 'caries', draft: true, by: 'u_assistant' }),
      entry(2, { surface: 'O', finding: 'caries', action: 'remove', draft: true, by: 'u_assistant' }),
    ];
    const c = foldChart(withDrafts).teeth.get(16)!;
    expect(onSurface(c, 'O').map((f) => f.finding)).toEqual(['caries']);
    expect(c.drafts.map((f) => `${f.surface}:${f.finding}`)).toEqual(['M:caries', 'O:sealant']);
    const settled = foldChart([...withDrafts, entry(3, { surface: 'M', finding: 'caries' }), entry(3, { surface: 'O', finding: 'sealant', action: 'reject' })]).teeth.get(16)!;
    expect(settled.drafts).toEqual([]);
    expect(onSurface(settled, 'M').map((f) => f.finding)).toEqual(['caries']);
    expect(onSurface(settled, 'O').map((f) => f.finding)).toEqual(['caries']);
  });

  it('a day in the clinic time zone ends at local midnight', () => {
    expect(endOfLocalDay('2026-12-03', 'Asia/Bahrain')).toBe('2026-12-03T21:00:00.000Z');
    expect(endOfLocalDay('2026-12-31', 'UTC')).toBe('2027-01-01T00:00:00.000Z');
    expect(endOfLocalDay('2026-02-30', 'Asia/Bahrain')).toBeUndefined();
    expect(endOfLocalDay('26-02-01', 'Asia/Bahrain')).toBeUndefined();
    expect(localDay(new Date('2026-12-03T21:30:00Z'), 'Asia/Bahrain')).toBe('2026-12-04');
    // An entry at 23:59 local time on the 3rd is in the chart as of the 3rd; one at 00:01 on the 4th is not.
    const late = [entry(1, { at: '2026-12-03T20:59:00.000Z' }), entry(1, { tooth: 11, at: '2026-12-03T21:01:00.000Z' })];
    expect([...foldChart(late, endOfLocalDay('2026-12-03', 'Asia/Bahrain')).teeth.keys()]).toEqual([16]);
  });
});
