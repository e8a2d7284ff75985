// Blind indexes (CR2): a truncated HMAC of a normalised value under a per-clinic, per-field key.
// Truncation keeps some collisions on purpose, so callers must decrypt and filter what a lookup returns.
import { enc, encodeHexLowerCase } from './bytes.ts';

export const BLIND_INDEX_BYTES = 8;

export async function blindIndex(key: CryptoKey, normalised: string, bytes = BLIND_INDEX_BYTES): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc(normalised) as BufferSource));
  return encodeHexLowerCase(mac.subarray(0, bytes));
}
