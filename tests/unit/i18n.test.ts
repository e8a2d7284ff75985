import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.ts';
import { ar } from '../../src/i18n/ar.ts';
import { PERMISSIONS } from '../../src/access/permissions.ts';
import { ROLES } from '../../src/access/roles.ts';
import { formatDateTime } from '../../src/i18n/format.ts';

describe('message catalogue', () => {
  it('Arabic has every English key, with the same {placeholders}, and real Arabic text', () => {
    expect(Object.keys(ar).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(params(ar[key as keyof typeof ar]), key).toEqual(params(text));
    }
    const arabic = Object.entries(ar).filter(([k]) => !k.startsWith('lang.'));
    expect(arabic.filter(([, v]) => !/[\u0600-\u06FF]/.test(v)).map(([k]) => k)).toEqual([]);
  });

  it('every role and permission has a name in both languages', () => {
    for (const r of ROLES) expect(en[`role.${r}` as keyof typeof en]).toBeTruthy();
    for (const p of PERMISSIONS) {
      expect(en[`perm.${p}` as keyof typeof en], p).toBeTruthy();
      expect(ar[`perm.${p}` as keyof typeof ar], p).toBeTruthy();
    }
  });
});

describe('dates on Arabic pages', () => {
  it('are written with the same Latin digits as MRNs, CPRs and birth dates, in the clinic time zone', () => {
    const at = new Date('2026-03-04T21:30:00Z'); // 5 March, 00:30 in Bahrain
    const ar = formatDateTime(at, 'ar', 'Asia/Bahrain');
    expect(ar).not.toMatch(/[\u0660-\u0669\u06F0-\u06F9]/);
    expect(ar).toMatch(/2026/);
    expect(ar).toMatch(/[\u0600-\u06FF]/); // still Arabic words (month or AM/PM marker)
    expect(formatDateTime(at, 'en', 'Asia/Bahrain')).toContain('5 Mar 2026');
  });
});
