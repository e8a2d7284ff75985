/** @jsxImportSource hono/jsx */
// The odontogram as server-rendered SVG: two arches, each tooth a group of five surface polygons
// coloured by what was found, its number, whole-tooth marks (crown ring, root canal, implant post,
// bridge bar, crosses for extraction), planned work pale and dashed, drafts framed, and a legend.
// Colours are presentation attributes, not styles, so the same drawing works under the page's CSP
// and as a standalone file. Each tooth links to its page (htmx loads it into the side panel).
import type { Translate } from '../../../src/i18n/index.ts';
import { SURFACES, type FindingKind } from '../../../src/dental/findings.ts';
import { onSurface, stateOf, type DentalChart, type Finding, type ToothChart } from '../../../src/dental/fold.ts';
import { displayNumber, type Numbering } from '../../../src/dental/teeth.ts';
import { CELL, MIDLINE, SQ, WIDTH, boxOf, layoutOf, pointsOf, sideOf, type DentitionView, type RowLayout, type ToothBox } from './geometry.ts';
import { findingName, findingText, toothLabel, toothName } from './labels.ts';

export const COLOURS = {
  caries: '#c62828',
  fracture: '#ef6c00',
  filling: '#1565c0',
  sealant: '#2e7d32',
  crown: '#f9a825',
  bridge: '#6d4c41',
  'root-canal': '#8e24aa',
  implant: '#00838f',
  extracted: '#37474f',
  'to-extract': '#c62828',
  missing: '#9e9e9e',
  draft: '#616161',
  selected: '#0b6e6e',
} as const;

/** When a surface holds several findings, the one drawn is the first of these. */
const SURFACE_PRIORITY: FindingKind[] = ['caries', 'fracture', 'filling', 'sealant'];
const INK = '#263238';
const DASH = '3 2';

export interface OdontogramProps {
  chart: DentalChart;
  t: Translate;
  numbering: Numbering;
  dentition: DentitionView;
  /** The page of a tooth; absent for the standalone drawing (no links). */
  href?: (fdi: number) => string;
  /** htmx: where the tooth's panel goes. */
  panel?: string;
  selected?: number;
  /** An SVG document of its own (xmlns), for the archive. */
  standalone?: boolean;
}

const LEGEND: { key: keyof typeof COLOURS | 'planned'; label: (t: Translate) => string }[] = [
  ...(['caries', 'fracture', 'filling', 'sealant', 'crown', 'bridge', 'root-canal', 'implant', 'missing', 'extracted', 'to-extract'] as const).map((k) => ({
    key: k,
    label: (t: Translate) => findingName(t, k),
  })),
  { key: 'planned', label: (t) => t('dental.legend.planned') },
  { key: 'draft', label: (t) => t('dental.legend.draft') },
];
const LEGEND_COLS = 4;
const LEGEND_ROW = 20;

function describe(t: Translate, fdi: number, tooth: ToothChart | undefined, numbering: Numbering): string {
  const parts = [`${toothLabel(t, fdi, numbering)} — ${toothName(t, fdi)}`];
  if (tooth?.state && tooth.state.finding !== 'present') parts.push(findingName(t, tooth.state.finding));
  for (const f of [...(tooth?.findings ?? []), ...(tooth?.planned ?? []), ...(tooth?.drafts ?? [])]) parts.push(findingText(t, f));
  return parts.join('; ');
}

/** The mark of a whole-tooth finding, completed or planned. */
function WholeMark(props: { f: Finding; box: ToothBox; upper: boolean }) {
  const { f, box } = props;
  const planned = f.status === 'planned' || f.draft;
  const dash = planned ? { 'stroke-dasharray': DASH } : {};
  const cx = box.x + CELL / 2;
  switch (f.finding) {
    case 'crown':
      return <rect x={box.sx - 2} y={box.sy - 2} width={SQ + 4} height={SQ + 4} fill="none" stroke={COLOURS.crown} stroke-width="3" data-mark="crown" {...dash} />;
    case 'bridge': {
      const y = props.upper ? box.sy - 3 : box.sy + SQ + 3;
      return <line x1={box.x} x2={box.x + CELL} y1={y} y2={y} stroke={COLOURS.bridge} stroke-width="3" data-mark="bridge" {...dash} />;
    }
    case 'root-canal':
      return <line x1={cx} x2={cx} y1={box.rootY} y2={box.rootY + box.rootH} stroke={COLOURS['root-canal']} stroke-width="3" data-mark="root-canal" {...dash} />;
    case 'implant':
      return <rect x={cx - 4} y={box.rootY} width="8" height={box.rootH} fill={planned ? 'none' : COLOURS.implant} stroke={COLOURS.implant} data-mark="implant" {...dash} />;
    case 'extracted':
    case 'to-extract':
    case 'missing': {
      const colour = COLOURS[f.finding];
      const { sx, sy } = box;
      return (
        <g stroke={colour} stroke-width="2.5" data-mark={f.finding} {...dash}>
          <line x1={sx - 3} y1={sy - 3} x2={sx + SQ + 3} y2={sy + SQ + 3} />
          <line x1={sx + SQ + 3} y1={sy - 3} x2={sx - 3} y2={sy + SQ + 3} />
        </g>
      );
    }
    default:
      return null;
  }
}

function Tooth(props: OdontogramProps & { fdi: number; row: RowLayout }) {
  const { t, fdi, row } = props;
  const tooth = props.chart.teeth.get(fdi);
  const box = boxOf(fdi, row);
  const state = stateOf(tooth);
  const marks = [...(tooth?.state ? [tooth.state] : []), ...(tooth?.findings ?? []), ...(tooth?.planned ?? []), ...(tooth?.drafts ?? [])].filter((f) => f.surface === null);
  const body = (
    <g data-tooth={fdi} data-state={state} opacity={state === 'missing' ? '0.45' : undefined}>
      <title>{describe(t, fdi, tooth, props.numbering)}</title>
      <rect x={box.x + 1} y={Math.min(box.labelY - 12, box.sy) - 1} width={CELL - 2} height={64} fill="#ffffff" fill-opacity="0" />
      <text x={box.x + CELL / 2} y={box.labelY} text-anchor="middle" font-size="12" fill={INK} font-weight={props.selected === fdi ? '700' : '400'}>
        {displayNumber(fdi, props.numbering)}
      </text>
      {SURFACES.map((s) => {
        const found = onSurface(tooth, s);
        const top = SURFACE_PRIORITY.find((k) => found.some((f) => f.finding === k));
        const planned = [...(tooth?.planned ?? []), ...(tooth?.drafts ?? [])].filter((f) => f.surface === s);
        const pale = !top && planned[0];
        return (
          <polygon
            points={pointsOf(sideOf(fdi, s), box.sx, box.sy)}
            fill={top ? COLOURS[top as keyof typeof COLOURS] : pale ? COLOURS[pale.finding as keyof typeof COLOURS] : '#ffffff'}
            fill-opacity={pale ? '0.3' : undefined}
            stroke={pale ? COLOURS[pale.finding as keyof typeof COLOURS] : INK}
            stroke-width={pale ? '1.5' : '0.8'}
            stroke-dasharray={pale ? DASH : undefined}
            data-surface={s}
            data-finding={found.map((f) => f.finding).join(' ') || undefined}
            data-planned={planned.map((f) => f.finding).join(' ') || undefined}
          />
        );
      })}
      {marks.map((f) => (
        <WholeMark f={f} box={box} upper={row.upper} />
      ))}
      {tooth && tooth.drafts.length > 0 && (
        <rect x={box.x + 2} y={box.sy - 6} width={CELL - 4} height={SQ + 12} fill="none" stroke={COLOURS.draft} stroke-dasharray="2 2" data-mark="draft" />
      )}
      {props.selected === fdi && <rect x={box.x} y={box.sy - 8} width={CELL} height={SQ + 16} fill="none" stroke={COLOURS.selected} stroke-width="2" data-selected="1" />}
    </g>
  );
  if (!props.href) return body;
  const href = props.href(fdi);
  return (
    <a href={href} hx-get={href} hx-target={props.panel} hx-swap="innerHTML" aria-label={toothLabel(t, fdi, props.numbering)}>
      {body}
    </a>
  );
}

function LegendSwatch({ k, x, y }: { k: (typeof LEGEND)[number]['key']; x: number; y: number }) {
  if (k === 'planned') return <rect x={x} y={y} width="14" height="14" fill={COLOURS.filling} fill-opacity="0.3" stroke={COLOURS.filling} stroke-dasharray={DASH} />;
  if (k === 'draft') return <rect x={x} y={y} width="14" height="14" fill="none" stroke={COLOURS.draft} stroke-dasharray="2 2" />;
  if (k === 'extracted' || k === 'to-extract' || k === 'missing') {
    return (
      <g stroke={COLOURS[k]} stroke-width="2.5">
        <line x1={x} y1={y} x2={x + 14} y2={y + 14} />
        <line x1={x + 14} y1={y} x2={x} y2={y + 14} />
      </g>
    );
  }
  if (k === 'crown') return <rect x={x + 1} y={y + 1} width="12" height="12" fill="none" stroke={COLOURS.crown} stroke-width="3" />;
  return <rect x={x} y={y} width="14" height="14" fill={COLOURS[k as keyof typeof COLOURS]} />;
}

export function Odontogram(props: OdontogramProps) {
  const { t } = props;
  const layout = layoutOf(props.dentition);
  const legendTop = layout.bottom + 26;
  const height = legendTop + 14 + Math.ceil(LEGEND.length / LEGEND_COLS) * LEGEND_ROW;
  const colW = (WIDTH - 48) / LEGEND_COLS;
  const title = t('dental.svgTitle', { numbering: t(`dental.numbering.${props.numbering}`) });
  return (
    <svg
      {...(props.standalone ? { xmlns: 'http://www.w3.org/2000/svg' } : { width: '100%', role: 'group' })}
      viewBox={`0 0 ${WIDTH} ${height}`}
      font-family="'Noto Sans', 'Noto Naskh Arabic', sans-serif"
      aria-label={title}
      data-numbering={props.numbering}
      data-dentition={props.dentition}
      data-as-of={props.chart.until ?? undefined}
    >
      <title>{title}</title>
      <rect x="0" y="0" width={WIDTH} height={height} fill="#ffffff" />
      <text x="24" y="14" font-size="11" fill={INK}>
        {t('dental.patientRight')}
      </text>
      <text x={MIDLINE} y="14" font-size="11" fill={INK} text-anchor="middle" font-weight="700">
        {t('dental.upper')}
      </text>
      <text x={WIDTH - 24} y="14" font-size="11" fill={INK} text-anchor="end">
        {t('dental.patientLeft')}
      </text>
      <line x1={MIDLINE} x2={MIDLINE} y1="20" y2={layout.bottom} stroke="#b0bec5" stroke-dasharray="4 3" />
      <line x1="24" x2={WIDTH - 24} y1={layout.archLine} y2={layout.archLine} stroke="#b0bec5" stroke-dasharray="4 3" />
      {layout.rows.map((row) => (
        <g data-row={`${row.upper ? 'upper' : 'lower'}`}>
          {row.teeth.map((fdi) => (
            <Tooth {...props} fdi={fdi} row={row} />
          ))}
        </g>
      ))}
      <text x={MIDLINE} y={layout.bottom + 12} font-size="11" fill={INK} text-anchor="middle" font-weight="700">
        {t('dental.lower')}
      </text>
      <g data-legend="1">
        <text x="24" y={legendTop} font-size="11" font-weight="700" fill={INK}>
          {t('dental.legend')}
        </text>
        {LEGEND.map((item, i) => {
          const x = 24 + (i % LEGEND_COLS) * colW;
          const y = legendTop + 8 + Math.floor(i / LEGEND_COLS) * LEGEND_ROW;
          return (
            <g data-legend-item={item.key}>
              <LegendSwatch k={item.key} x={x} y={y} />
              <text x={x + 20} y={y + 11} font-size="11" fill={INK}>
                {item.label(t)}
              </text>
            </g>
          );
        })}
      </g>
    </svg>
  );
}
