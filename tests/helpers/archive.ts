// Patient-archive ZIPs for tests: made with the streaming writer and signed like the real thing.
import { ArchiveZipWriter } from '../../src/archive/zip.ts';
import { MANIFEST_PATH, manifestJson, signManifest } from '../../src/archive/manifest.ts';
import type { SigningKeys } from '../../src/crypto/keys.ts';

export const scan = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 131 + (i >> 8)) & 255);
export const report = new TextEncoder().encode('%PDF-1.7\n% a lab report stand-in\n%%EOF\n');

export function streamOf(bytes: Uint8Array, chunk = 17_000): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  });
}

/** Six files (text, JSON, a streamed JPEG and PDF, two small charts) and a signed manifest.json. */
export async function buildArchive(keys: SigningKeys, slug = 'demo'): Promise<Uint8Array> {
  const created = new Date('2026-12-04T08:00:00Z');
  const zip = new ArchiveZipWriter({ date: created });
  zip.add('README.txt', 'What each part is.\nما يحتويه كل جزء.\n');
  zip.add('record.json', JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [] }));
  zip.add('attachments/att_1_scan.jpg', streamOf(scan));
  zip.add('attachments/att_2_report.pdf', streamOf(report));
  zip.add('charts/dup1.txt', 'first');
  zip.add('charts/dup2.txt', 'other');
  const out = zip.finish({
    path: MANIFEST_PATH,
    content: async (files) =>
      manifestJson(
        await signManifest(
          {
            clinic: { id: 'c_x', slug, name: 'Demo Clinic' },
            patient: { id: 'p_1', mrn: 'D-0001' },
            created: created.toISOString(),
            createdBy: { kind: 'user', id: 'u_1', name: 'Admin' },
            files,
          },
          keys,
        ),
      ),
  });
  return new Uint8Array(await new Response(out).arrayBuffer());
}
