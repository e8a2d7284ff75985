// Words for teeth, surfaces and findings in the reader's language.
import type { MessageKey, Translate } from '../../../src/i18n/index.ts';
import { surfaceName, type FindingKind, type Material, type Surface } from '../../../src/dental/findings.ts';
import type { Finding } from '../../../src/dental/fold.ts';
import { displayNumber, toothInfo, toUniversal, type Numbering } from '../../../src/dental/teeth.ts';

export function toothName(t: Translate, fdi: number): string {
  const info = toothInfo(fdi);
  return t(info.dentition === 'primary' ? 'dental.toothNamePrimary' : 'dental.toothName', {
    arch: t(`dental.arch.${info.arch}`),
    side: t(`dental.side.${info.side}`),
    kind: t(`dental.kind.${info.kind}` as MessageKey),
  });
}

/** "Tooth 3" in the chosen numbering. */
export const toothLabel = (t: Translate, fdi: number, numbering: Numbering) => t('dental.tooth', { n: displayNumber(fdi, numbering) });

/** "(FDI 16, Universal 3)". */
export const toothNumbers = (t: Translate, fdi: number) => t('dental.toothOther', { fdi: String(fdi), universal: toUniversal(fdi) });

export const findingName = (t: Translate, k: FindingKind) => t(`dental.finding.${k}` as MessageKey);
export const materialName = (t: Translate, m: Material) => t(`dental.material.${m}`);
export const surfaceLabel = (t: Translate, fdi: number, s: Surface) => t(`dental.surface.${surfaceName(fdi, s)}`);

/** "Filling, Composite (Occlusal)"; planned and draft marked. */
export function findingText(t: Translate, f: Pick<Finding, 'tooth' | 'surface' | 'finding' | 'material' | 'status' | 'draft'>): string {
  let s = findingName(t, f.finding);
  if (f.material) s += `, ${materialName(t, f.material)}`;
  if (f.surface) s += ` (${surfaceLabel(t, f.tooth, f.surface)})`;
  if (f.status === 'planned') s += ` · ${t('dental.status.planned')}`;
  if (f.draft) s += ` · ${t('dental.draft')}`;
  return s;
}
