// Verifies a patient archive ZIP (CONTRACT.md): manifest.json signed by the key it embeds (and,
// when given, the clinic's published key), every listed file present with its size and SHA-256,
// nothing else in the ZIP, no entry name used twice. Each problem names its file.
import JSZip from 'jszip';
import { Sha256Stream } from '../crypto/sha256-stream.ts';
import { MANIFEST_PATH, checkManifestSignature, parseManifest, type ArchiveManifest, type ArchiveProblem } from './manifest.ts';

export interface ArchiveVerdict {
  ok: boolean;
  problems: ArchiveProblem[];
  /** The manifest, when it could be read (signed or not: check `ok`). */
  manifest?: ArchiveManifest;
}

interface EntryStream {
  on(event: 'data', fn: (chunk: Uint8Array) => void): EntryStream;
  on(event: 'end', fn: () => void): EntryStream;
  on(event: 'error', fn: (e: Error) => void): EntryStream;
  resume(): EntryStream;
}

/** Size and SHA-256 of one entry, decompressed a chunk at a time. */
function measure(file: JSZip.JSZipObject): Promise<{ bytes: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    const hash = new Sha256Stream();
    let bytes = 0;
    // internalStream is jszip's chunked reader (documented, but missing from its type declarations).
    (file as unknown as { internalStream(type: 'uint8array'): EntryStream })
      .internalStream('uint8array')
      .on('data', (chunk) => {
        bytes += chunk.length;
        hash.update(chunk);
      })
      .on('error', reject)
      .on('end', () => resolve({ bytes, sha256: hash.hex() }))
      .resume();
  });
}

/** The entry count the ZIP's end-of-central-directory record declares, to find names used twice. */
function declaredEntries(zip: Uint8Array): number | undefined {
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip[i] === 0x50 && zip[i + 1] === 0x4b && zip[i + 2] === 0x05 && zip[i + 3] === 0x06) return zip[i + 10]! | (zip[i + 11]! << 8);
  }
  return undefined;
}

export async function verifyArchive(zipBytes: Uint8Array, opts: { expectedPublicKey?: string; name?: string } = {}): Promise<ArchiveVerdict> {
  const archive = opts.name ?? 'archive.zip';
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(zipBytes, { createFolders: false });
  } catch {
    return { ok: false, problems: [{ path: archive, code: 'unreadable', reason: 'not a readable ZIP file' }] };
  }
  const problems: ArchiveProblem[] = [];
  const names = Object.keys(zip.files);
  const declared = declaredEntries(zipBytes);
  if (declared !== undefined && declared !== names.length) {
    problems.push({ path: archive, code: 'duplicate', reason: `${declared} entries but ${names.length} distinct names: an entry hides behind another of the same name` });
  }

  const manifestEntry = zip.files[MANIFEST_PATH];
  if (!manifestEntry || manifestEntry.dir) {
    return { ok: false, problems: [...problems, { path: MANIFEST_PATH, code: 'missing', reason: 'missing from the archive' }] };
  }
  let text: string;
  try {
    text = await manifestEntry.async('string');
  } catch {
    return { ok: false, problems: [...problems, { path: MANIFEST_PATH, code: 'unreadable', reason: 'cannot be read from the ZIP' }] };
  }
  const parsed = parseManifest(text);
  if (!parsed.ok) return { ok: false, problems: [...problems, ...parsed.problems] };
  const manifest = parsed.manifest;
  problems.push(...(await checkManifestSignature(manifest, opts.expectedPublicKey === undefined ? {} : { expectedPublicKey: opts.expectedPublicKey })));

  const listed = new Set<string>([MANIFEST_PATH]);
  for (const f of manifest.files) {
    listed.add(f.path);
    const entry = zip.files[f.path];
    if (!entry || entry.dir) {
      problems.push({ path: f.path, code: 'missing', reason: 'listed in the manifest but missing from the archive' });
      continue;
    }
    let actual: { bytes: number; sha256: string };
    try {
      actual = await measure(entry);
    } catch {
      problems.push({ path: f.path, code: 'unreadable', reason: 'cannot be read from the ZIP (damaged)' });
      continue;
    }
    if (actual.bytes !== f.bytes) {
      problems.push({ path: f.path, code: 'size', reason: `is ${actual.bytes} bytes, the manifest says ${f.bytes}` });
    } else if (actual.sha256 !== f.sha256) {
      problems.push({ path: f.path, code: 'sha256', reason: 'SHA-256 does not match the manifest (the file was changed)' });
    }
  }
  for (const name of names.sort()) {
    if (listed.has(name) || zip.files[name]!.dir) continue;
    problems.push({ path: name, code: 'extra', reason: 'in the archive but not listed in the manifest' });
  }
  return { ok: problems.length === 0, problems, manifest };
}
