// The curated ICD-10 list: a few hundred codes a primary-care and dental clinic in Bahrain uses, so the
// diagnosis picker answers from memory without shipping the 74,000-code classification. No npm package
// ships ICD-10 data, so this is maintained here as data.
//
// Edition: ICD-10-CM, FY2025 code set (in effect from 1 October 2024), one edition throughout. CM rather
// than WHO ICD-10 because it is the more specific of the two where a clinic needs detail (caries depth
// and surface, periodontitis stage, asthma severity, pregnancy trimester), and the format check accepts
// WHO codes too. Consequences: low back pain is M54.50 (M54.5 stopped being valid in FY2022), headache is
// R51.9 (R51, FY2021), caries is K02.5x/K02.6x (WHO's K02.1 does not exist in CM), and WHO's K07/K10
// dental categories are M26/M27 in CM. Only billable (leaf) codes are listed.
//
// Titles are CM's long descriptions, verbatim. Arabic titles are our translations and are given only
// where the medical Arabic is well established; without one the English title is shown.
import { INFECTIONS_BLOOD_ENDOCRINE } from './data/a-e.ts';
import { MIND_NERVES_SENSES_HEART_LUNGS } from './data/f-j.ts';
import { DENTAL } from './data/dental.ts';
import { GUT_SKIN_BONES_KIDNEYS } from './data/k-n.ts';
import { PREGNANCY_SYMPTOMS_ENCOUNTERS } from './data/o-z.ts';

/** [code with dot, English title, Arabic title?] */
export type Icd10Row = readonly [code: string, titleEn: string, titleAr?: string];

export const ICD10_EDITION = 'ICD-10-CM FY2025';

export const ICD10_CODES: readonly Icd10Row[] = [
  ...INFECTIONS_BLOOD_ENDOCRINE,
  ...MIND_NERVES_SENSES_HEART_LUNGS,
  ...GUT_SKIN_BONES_KIDNEYS,
  ...DENTAL,
  ...PREGNANCY_SYMPTOMS_ENCOUNTERS,
].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

// The codes staff pick most in a primary-care and dental clinic. A search ranks them first among title
// matches, so "hypert" offers essential hypertension before hypertrophy of the tonsils.
export const COMMON_CODES: ReadonlySet<string> = new Set([
  'I10', 'E11.9', 'E78.5', 'E55.9', 'E66.9', 'E03.9', 'D50.9', 'D57.1', 'D56.9', 'D55.0',
  'J00', 'J06.9', 'J02.9', 'J03.90', 'J01.90', 'J20.9', 'J30.9', 'J45.909', 'R05.9', 'U07.1',
  'K21.9', 'K29.70', 'K30', 'A09', 'R10.9', 'R11.2', 'R19.7', 'K59.00', 'B34.9',
  'M54.50', 'M54.2', 'M25.561', 'M79.10', 'N39.0', 'N94.6', 'R50.9', 'R51.9', 'R42', 'R07.9',
  'L30.9', 'L50.9', 'L20.9', 'H10.9', 'H66.90', 'F41.9', 'G43.909',
  'Z00.00', 'Z00.129', 'Z23', 'Z34.90', 'Z01.20',
  'K02.9', 'K04.01', 'K04.02', 'K04.7', 'K05.10', 'K05.30', 'K03.6', 'K08.409', 'K01.1',
]);
