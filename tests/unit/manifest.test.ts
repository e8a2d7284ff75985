// The archive manifest: canonical JSON, Ed25519 signing with the clinic key, parsing and the checks
// a verifier makes of the manifest alone.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/archive/canonical-json.ts';
import {
  ARCHIVE_FORMAT,
  checkManifestSignature,
  isSafeArchivePath,
  manifestJson,
  parseManifest,
  signManifest,
  signedText,
  type UnsignedManifest,
} from '../../src/archive/manifest.ts';
import { deriveClinicKeys } from '../../src/crypto/keys.ts';
import { verifyText } from '../../src/crypto/signing.ts';

const keysOf = async (seed: number) => (await deriveClinicKeys('c_test', new Uint8Array(32).fill(seed))).signing();

const unsigned = (): UnsignedManifest => ({
  clinic: { id: 'c_test', slug: 'demo', name: 'Demo Clinic' },
  patient: { id: 'p_1', mrn: 'D-0001' },
  created: '2026-12-04T08:00:00.000Z',
  createdBy: { kind: 'user', id: 'u_1', name: 'مدير العيادة' },
  files: [
    { path: 'record.json', bytes: 10, mediaType: 'application/json', sha256: 'a'.repeat(64) },
    { path: 'README.txt', bytes: 5, mediaType: 'text/plain', sha256: 'b'.repeat(64) },
  ],
});

describe('canonical JSON', () => {
  it('sorts keys at every depth, drops undefined members, no whitespace, non-ASCII as itself', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'é"\n' }, u: undefined })).toBe('{"a":{"c":"é\\"\\n","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('is the same whatever order the keys were written in', () => {
    expect(canonicalJson({ x: 1, y: { a: 1, b: 2 } })).toBe(canonicalJson({ y: { b: 2, a: 1 }, x: 1 }));
  });

  it('refuses what is not JSON rather than changing it', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/finite/);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(/plain objects/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
  });
});

describe('manifest', () => {
  it('is signed with the clinic key over the canonical JSON without the signature; files sorted', async () => {
    const keys = await keysOf(1);
    const m = await signManifest(unsigned(), keys);
    expect(m.format).toBe(ARCHIVE_FORMAT);
    expect(m.version).toBe(1);
    expect(m.publicKey).toBe(keys.publicKeyB64);
    expect(m.files.map((f) => f.path)).toEqual(['README.txt', 'record.json']);
    const text = signedText(m);
    expect(text).not.toContain('"signature"');
    expect(text).not.toMatch(/\s"|":\s/);
    expect(await verifyText(m.publicKey, text, m.signature)).toBe(true);
    // The file is indented for people; parsing it back gives the same signed content.
    const parsed = parseManifest(manifestJson(m));
    expect(parsed.ok).toBe(true);
    expect(await checkManifestSignature(parsed.ok ? parsed.manifest : m, { expectedPublicKey: keys.publicKeyB64 })).toEqual([]);
  });

  it('any change to a signed field breaks the signature', async () => {
    const m = await signManifest(unsigned(), await keysOf(1));
    const changes = [
      { ...m, patient: { ...m.patient, mrn: 'D-0002' } },
      { ...m, files: m.files.map((f, i) => (i === 0 ? { ...f, sha256: 'c'.repeat(64) } : f)) },
      { ...m, files: m.files.slice(1) },
      { ...m, created: '2026-12-05T08:00:00.000Z' },
    ];
    for (const changed of changes) {
      const problems = await checkManifestSignature(changed);
      expect(problems.map((p) => [p.path, p.code])).toEqual([['manifest.json', 'signature']]);
    }
  });

  it('a manifest signed by another key carrying its own public key verifies alone, but not against the clinic key', async () => {
    const clinic = await keysOf(1);
    const forger = await signManifest(unsigned(), await keysOf(2));
    expect(await checkManifestSignature(forger)).toEqual([]);
    const problems = await checkManifestSignature(forger, { expectedPublicKey: clinic.publicKeyB64 });
    expect(problems.map((p) => p.code)).toEqual(['key']);
  });

  it('parse refuses non-JSON, another format, unknown fields, unsafe or repeated paths', async () => {
    const m = JSON.parse(manifestJson(await signManifest(unsigned(), await keysOf(1))));
    const bad = [
      'not json',
      JSON.stringify({ ...m, format: 'something-else' }),
      JSON.stringify({ ...m, version: 2 }),
      JSON.stringify({ ...m, extra: 1 }),
      JSON.stringify({ ...m, files: [{ ...m.files[0], path: '../etc/passwd' }] }),
      JSON.stringify({ ...m, files: [{ ...m.files[0], sha256: 'XYZ' }] }),
    ];
    for (const text of bad) {
      const r = parseManifest(text);
      expect(r.ok, text.slice(0, 80)).toBe(false);
      if (!r.ok) expect(r.problems[0]!.path).toBe('manifest.json');
    }
    const twice = parseManifest(JSON.stringify({ ...m, files: [m.files[0], m.files[0]] }));
    expect(twice.ok).toBe(false);
    if (!twice.ok) expect(twice.problems).toEqual([expect.objectContaining({ path: m.files[0].path, code: 'duplicate' })]);
  });

  it('signing refuses unsafe paths and manifest.json itself', async () => {
    const keys = await keysOf(1);
    for (const path of ['/abs.txt', 'a/../b.txt', 'a\\b.txt', 'manifest.json', 'a//b', 'ok/./x']) {
      await expect(signManifest({ ...unsigned(), files: [{ path, bytes: 1, mediaType: 'text/plain', sha256: 'a'.repeat(64) }] }, keys)).rejects.toThrow();
    }
    expect(isSafeArchivePath('attachments/att_1_تقرير مختبر.pdf')).toBe(true);
  });
});
