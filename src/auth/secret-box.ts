// Small encrypted values in the control database and in hidden form fields, bound to their place
// by associated data (the same AES-GCM scheme as clinic columns).
import { decryptField, encryptField } from '../crypto/field.ts';
import { b64url, fromB64url, dec, enc } from '../crypto/bytes.ts';

const ctx = (purpose: string, id: string) => ({ clinicId: 'control', table: purpose, column: 'value', rowId: id });

export async function sealBytes(key: CryptoKey, purpose: string, id: string, bytes: Uint8Array): Promise<string> {
  return encryptField(key, ctx(purpose, id), b64url(bytes));
}

export async function openBytes(key: CryptoKey, purpose: string, id: string, sealed: string): Promise<Uint8Array> {
  return fromB64url(await decryptField(key, ctx(purpose, id), sealed));
}

export const sealText = (key: CryptoKey, purpose: string, id: string, text: string) => sealBytes(key, purpose, id, enc(text));
export const openText = async (key: CryptoKey, purpose: string, id: string, sealed: string) => dec(await openBytes(key, purpose, id, sealed));
