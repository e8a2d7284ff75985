// CSV for spreadsheets, written by papaparse (it runs on every target: no Node Buffer); cells that
// a spreadsheet would run as a formula are neutralised (VE3, OWASP CSV injection): a leading
// = + - @ tab or CR gets a leading quote.
import Papa from 'papaparse';

const FORMULA_START = /^[=+\-@\t\r]/;

export function safeCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A whole CSV document with a header row; a UTF-8 BOM so that spreadsheets read Arabic right. */
export function toCsv(header: string[], rows: unknown[][]): string {
  return '\uFEFF' + Papa.unparse([header.map(safeCell), ...rows.map((r) => r.map(safeCell))], { newline: '\r\n' }) + '\r\n';
}
