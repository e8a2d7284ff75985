// Key hierarchy: master key -> (wraps) one random key per clinic -> HKDF purpose keys.
// Rotating the master key re-wraps clinic keys; it never re-encrypts data.
import { concat, decodeBase64, enc, encodeBase64, encodeHexLowerCase, randomBytes } from './bytes.ts';

export const KEY_BYTES = 32;
const SALT = enc('invent-medical/v1');

export class KeyError extends Error {
  override name = 'KeyError';
}

export function parseMasterKey(b64: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64(b64.trim());
  } catch {
    throw new KeyError('INVENT_MASTER_KEY is not valid base64 (expected base64 of 32 random bytes)');
  }
  if (bytes.length !== KEY_BYTES) {
    throw new KeyError(`INVENT_MASTER_KEY must be 32 bytes of base64, got ${bytes.length} bytes`);
  }
  return bytes;
}

export function newKey(): Uint8Array {
  return randomBytes(KEY_BYTES);
}

export async function hkdfBytes(ikm: Uint8Array, info: string, length = KEY_BYTES): Promise<Uint8Array> {
  const base = await crypto.subtle.importKey('raw', ikm as BufferSource, 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: SALT as BufferSource, info: enc(info) as BufferSource },
    base,
    length * 8,
  );
  return new Uint8Array(bits);
}

/** A value that proves a master key is the one a data folder was created with, without revealing it. */
export async function masterKeyCheck(master: Uint8Array): Promise<string> {
  return encodeHexLowerCase(await hkdfBytes(master, 'invent/key-check', 16));
}

/** libSQL `encryptionKey` of the control database. */
export async function controlDbKey(master: Uint8Array): Promise<string> {
  return encodeHexLowerCase(await hkdfBytes(master, 'invent/control-db'));
}

const wrapAad = (clinicId: string) => enc(`invent/clinic-key/v1/${clinicId}`);

async function wrappingKey(master: Uint8Array, usage: KeyUsage): Promise<CryptoKey> {
  const kek = await hkdfBytes(master, 'invent/key-wrapping');
  return crypto.subtle.importKey('raw', kek as BufferSource, 'AES-GCM', false, [usage]);
}

/** Wraps a clinic key with the master key; the clinic id is bound as associated data. */
export async function wrapClinicKey(master: Uint8Array, clinicId: string, clinicKey: Uint8Array): Promise<string> {
  const iv = randomBytes(12);
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: iv as BufferSource, additionalData: wrapAad(clinicId) as BufferSource },
    await wrappingKey(master, 'encrypt'),
    clinicKey as BufferSource,
  );
  return `v1:${encodeBase64(concat(iv, new Uint8Array(ct)))}`;
}

export async function unwrapClinicKey(master: Uint8Array, clinicId: string, wrapped: string): Promise<Uint8Array> {
  const [version, body] = wrapped.split(':');
  if (version !== 'v1' || !body) throw new KeyError(`clinic ${clinicId}: unknown wrapped key format`);
  const raw = decodeBase64(body);
  try {
    const pt = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: raw.subarray(0, 12) as BufferSource, additionalData: wrapAad(clinicId) as BufferSource },
      await wrappingKey(master, 'decrypt'),
      raw.subarray(12) as BufferSource,
    );
    return new Uint8Array(pt);
  } catch {
    throw new KeyError(`clinic ${clinicId}: its key cannot be unwrapped with this master key`);
  }
}

// PKCS#8 prefix for a raw 32-byte Ed25519 seed (RFC 8410).
const ED25519_PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

export interface SigningKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** Raw 32-byte public key, base64: what the clinic publishes. */
  publicKeyB64: string;
}

/** Every purpose key of one clinic, derived from its clinic key. */
export interface ClinicKeys {
  clinicId: string;
  /** libSQL encryptionKey of the clinic's database file. */
  dbKey: string;
  /** AES-256-GCM key for sensitive columns. */
  field: CryptoKey;
  /** AES-256-GCM key for attachments and stored exports. */
  file: CryptoKey;
  /** HMAC-SHA-256 key for the blind index of one searchable field. */
  blind(field: string): Promise<CryptoKey>;
  signing(): Promise<SigningKeys>;
}

export async function deriveClinicKeys(clinicId: string, clinicKey: Uint8Array): Promise<ClinicKeys> {
  const info = (purpose: string) => `invent/clinic/${clinicId}/${purpose}`;
  const aes = async (purpose: string) =>
    crypto.subtle.importKey('raw', (await hkdfBytes(clinicKey, info(purpose))) as BufferSource, 'AES-GCM', false, [
      'encrypt',
      'decrypt',
    ]);
  const blindCache = new Map<string, Promise<CryptoKey>>();
  let signing: Promise<SigningKeys> | undefined;
  return {
    clinicId,
    dbKey: encodeHexLowerCase(await hkdfBytes(clinicKey, info('db'))),
    field: await aes('field'),
    file: await aes('file'),
    blind(field: string) {
      let key = blindCache.get(field);
      if (!key) {
        key = hkdfBytes(clinicKey, info(`blind/${field}`)).then((raw) =>
          crypto.subtle.importKey('raw', raw as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
        );
        blindCache.set(field, key);
      }
      return key;
    },
    signing() {
      signing ??= deriveSigningKeys(clinicKey, info('ed25519'));
      return signing;
    },
  };
}

async function deriveSigningKeys(clinicKey: Uint8Array, info: string): Promise<SigningKeys> {
  const seed = await hkdfBytes(clinicKey, info);
  const privateKey = await crypto.subtle.importKey(
    'pkcs8',
    concat(ED25519_PKCS8_PREFIX, seed) as BufferSource,
    { name: 'Ed25519' },
    true,
    ['sign'],
  );
  // The public half is the JWK "x" of the private key; re-import it as a verify-only key.
  const jwk = await crypto.subtle.exportKey('jwk', privateKey);
  const publicKey = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, true, [
    'verify',
  ]);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', publicKey));
  return { privateKey, publicKey, publicKeyB64: encodeBase64(raw) };
}

/** Installation-wide keys derived from the master key (not per clinic). */
export interface InstallSecrets {
  /** AES-256-GCM for sensitive columns of the control database (TOTP secrets). */
  controlField: CryptoKey;
  /** HMAC-SHA-256 that binds CSRF tokens to a session (CS2). */
  csrf: CryptoKey;
}

export async function deriveInstallSecrets(master: Uint8Array): Promise<InstallSecrets> {
  const controlField = await crypto.subtle.importKey(
    'raw',
    (await hkdfBytes(master, 'invent/control-field')) as BufferSource,
    'AES-GCM',
    false,
    ['encrypt', 'decrypt'],
  );
  const csrf = await crypto.subtle.importKey(
    'raw',
    (await hkdfBytes(master, 'invent/csrf')) as BufferSource,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return { controlField, csrf };
}
