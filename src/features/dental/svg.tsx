/** @jsxImportSource hono/jsx */
// charts/dental.svg of the patient archive: the same drawing as the page, as a document of its own
// (SVG namespace, no links), labelled in the requested language.
import { translator, type Lang } from '../../i18n/index.ts';
import type { DentalChart } from '../../dental/fold.ts';
import type { DentitionView, Numbering } from '../../dental/teeth.ts';
import { Odontogram } from '../../../views/pages/dental/odontogram.tsx';

export function dentalChartSvg(chart: DentalChart, opts: { lang: Lang; numbering: Numbering; dentition: DentitionView }): string {
  const svg = <Odontogram chart={chart} t={translator(opts.lang)} numbering={opts.numbering} dentition={opts.dentition} standalone />;
  // Every part of the drawing is synchronous, so rendering gives a string at once.
  const out: unknown = svg.toString();
  if (typeof out !== 'string' && !(out instanceof String)) throw new Error('the odontogram rendered asynchronously');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${String(out)}\n`;
}
