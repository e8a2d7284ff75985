import { decodeBase64, enc, encodeBase64 } from './bytes.ts';
import type { SigningKeys } from './keys.ts';

export async function signText(keys: SigningKeys, text: string): Promise<string> {
  const sig = await crypto.subtle.sign({ name: 'Ed25519' }, keys.privateKey, enc(text) as BufferSource);
  return encodeBase64(new Uint8Array(sig));
}

/** Verifies with only a published raw public key (base64), as anyone checking an archive would. */
export async function verifyText(publicKeyB64: string, text: string, signatureB64: string): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey('raw', decodeBase64(publicKeyB64) as BufferSource, { name: 'Ed25519' }, false, [
      'verify',
    ]);
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, decodeBase64(signatureB64) as BufferSource, enc(text) as BufferSource);
  } catch {
    return false;
  }
}
