// manifest.json of a patient archive (CONTRACT.md): what the archive holds, each file's size and
// SHA-256, and the clinic's Ed25519 signature over all of it, so that anyone holding only the ZIP
// (and, to be sure who signed, the clinic's published key) can check it.
//
// The signature covers canonicalJson(manifest without its "signature" member) as UTF-8
// (src/archive/canonical-json.ts); the file itself is written indented for people, which changes
// nothing. The embedded public key is inside what is signed, and a verifier that knows the clinic's
// key compares the two: a valid signature by some other key proves nothing about the clinic.
import { z } from 'zod';
import { signText, verifyText } from '../crypto/signing.ts';
import type { SigningKeys } from '../crypto/keys.ts';
import { canonicalJson } from './canonical-json.ts';

export const ARCHIVE_FORMAT = 'invent-patient-archive';
export const ARCHIVE_VERSION = 1;
export const MANIFEST_PATH = 'manifest.json';

export interface ManifestFile {
  path: string;
  bytes: number;
  mediaType: string;
  /** Lower-case hex. */
  sha256: string;
}

export interface ArchiveManifest {
  format: typeof ARCHIVE_FORMAT;
  version: typeof ARCHIVE_VERSION;
  clinic: { id: string; slug: string; name: string };
  patient: { id: string; mrn: string };
  /** UTC, ISO 8601. */
  created: string;
  createdBy: { kind: 'user' | 'operator'; id: string | null; name: string };
  /** Every file of the archive but manifest.json, sorted by path. */
  files: ManifestFile[];
  /** The clinic's raw Ed25519 public key, base64. */
  publicKey: string;
  /** Ed25519 over the canonical JSON of everything above, base64. */
  signature: string;
}

export type UnsignedManifest = Omit<ArchiveManifest, 'format' | 'version' | 'publicKey' | 'signature'>;

/** One thing wrong with an archive, about one file (or the manifest itself). */
export interface ArchiveProblem {
  path: string;
  code: 'missing' | 'extra' | 'size' | 'sha256' | 'unreadable' | 'duplicate' | 'format' | 'signature' | 'key';
  /** Plain-English detail for the command line (the web page words it from `code`). */
  reason: string;
}

/**
 * Archive paths: relative, '/'-separated, no empty, '.' or '..' segment, no backslash, colon,
 * control or shell-hostile character, so that unpacking cannot write outside the target folder.
 */
const SEGMENT = /^[^\\/\u0000-\u001f\u007f:*?"<>|]{1,200}$/u;
export function isSafeArchivePath(path: string): boolean {
  if (path.length === 0 || path.length > 400) return false;
  return path.split('/').every((s) => SEGMENT.test(s) && s !== '.' && s !== '..' && s.trim() === s);
}

const fileSchema = z.strictObject({
  path: z.string().refine(isSafeArchivePath, 'unsafe path'),
  bytes: z.number().int().nonnegative(),
  mediaType: z.string().min(1).max(200),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

const manifestSchema = z.strictObject({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(ARCHIVE_VERSION),
  clinic: z.strictObject({ id: z.string().min(1).max(100), slug: z.string().min(1).max(100), name: z.string().min(1).max(300) }),
  patient: z.strictObject({ id: z.string().min(1).max(100), mrn: z.string().min(1).max(100) }),
  created: z.iso.datetime(),
  createdBy: z.strictObject({ kind: z.enum(['user', 'operator']), id: z.string().max(100).nullable(), name: z.string().max(300) }),
  files: z.array(fileSchema).max(65_534),
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
});

/** The exact text the signature covers. */
export function signedText(manifest: object): string {
  const { signature: _signature, ...rest } = manifest as Record<string, unknown>;
  return canonicalJson(rest);
}

export async function signManifest(unsigned: UnsignedManifest, keys: SigningKeys): Promise<ArchiveManifest> {
  const files = [...unsigned.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const [i, f] of files.entries()) {
    if (!isSafeArchivePath(f.path) || f.path === MANIFEST_PATH) throw new Error(`archive path not allowed: ${f.path}`);
    if (i > 0 && files[i - 1]!.path === f.path) throw new Error(`archive path twice: ${f.path}`);
  }
  const body = { format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, ...unsigned, files, publicKey: keys.publicKeyB64 } as const;
  return { ...body, signature: await signText(keys, signedText(body)) };
}

/** manifest.json as written into the archive: indented for people (the signature does not depend on it). */
export function manifestJson(manifest: ArchiveManifest): string {
  return JSON.stringify(manifest, null, 2) + '\n';
}

export type ParsedManifest = { ok: true; manifest: ArchiveManifest } | { ok: false; problems: ArchiveProblem[] };

const formatProblem = (reason: string): ArchiveProblem => ({ path: MANIFEST_PATH, code: 'format', reason });

/** Reads manifest.json text: JSON, the version-1 shape, unique safe paths. */
export function parseManifest(text: string): ParsedManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, problems: [formatProblem('not JSON')] };
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.') || 'manifest';
    return { ok: false, problems: [formatProblem(`not an ${ARCHIVE_FORMAT} version ${ARCHIVE_VERSION} manifest (${where}: ${issue.message})`)] };
  }
  const seen = new Set<string>();
  const problems: ArchiveProblem[] = [];
  for (const f of parsed.data.files) {
    if (f.path === MANIFEST_PATH) problems.push(formatProblem('lists itself'));
    else if (seen.has(f.path)) problems.push({ path: f.path, code: 'duplicate', reason: 'listed twice in the manifest' });
    seen.add(f.path);
  }
  return problems.length ? { ok: false, problems } : { ok: true, manifest: parsed.data as ArchiveManifest };
}

/**
 * Checks the signature with the manifest's own key and, when the clinic's published key is known,
 * that it is that key. An empty list means the manifest is exactly what the clinic signed.
 */
export async function checkManifestSignature(manifest: ArchiveManifest, opts: { expectedPublicKey?: string } = {}): Promise<ArchiveProblem[]> {
  const problems: ArchiveProblem[] = [];
  if (!(await verifyText(manifest.publicKey, signedText(manifest), manifest.signature))) {
    problems.push({ path: MANIFEST_PATH, code: 'signature', reason: 'signature does not match its contents (the manifest was changed or not signed by this key)' });
  }
  if (opts.expectedPublicKey !== undefined && opts.expectedPublicKey.trim() !== manifest.publicKey) {
    problems.push({ path: MANIFEST_PATH, code: 'key', reason: "signed with a key that is not the clinic's published key" });
  }
  return problems;
}

/** One line per problem, `<path>: <reason>` (the command line's output). */
export const problemLine = (p: ArchiveProblem): string => `${p.path}: ${p.reason}`;
