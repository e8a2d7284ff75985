// One sensitive column of one row of a clinic's database, encrypted bound to its place (CR1):
// associated data = clinic, table, column, row id. Empty text is stored as null.
import { decryptField, encryptField } from '../crypto/field.ts';
import type { ClinicHandle } from './registry.ts';

type Keyed = Pick<ClinicHandle, 'id' | 'keys'>;

export async function sealColumn(h: Keyed, table: string, column: string, rowId: string, text: string): Promise<string | null> {
  if (!text) return null;
  return encryptField(h.keys.field, { clinicId: h.id, table, column, rowId }, text);
}

export async function unsealColumn(h: Keyed, table: string, column: string, rowId: string, token: string | null): Promise<string> {
  if (!token) return '';
  return decryptField(h.keys.field, { clinicId: h.id, table, column, rowId }, token);
}
