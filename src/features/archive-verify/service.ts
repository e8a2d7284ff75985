// The public side of archive signing: each clinic's published Ed25519 key, and checking an uploaded
// manifest.json against it. Nothing here reads patient data or stores what was uploaded.
import type { ClinicRegistry } from '../../tenancy/registry.ts';
import { checkManifestSignature, parseManifest, type ArchiveManifest, type ArchiveProblem } from '../../archive/manifest.ts';

export interface PublishedKey {
  slug: string;
  name: string;
  publicKey: string;
}

export type ManifestCheck =
  | { kind: 'unknown-clinic' }
  | { kind: 'no-clinic' }
  | {
      kind: 'checked';
      ok: boolean;
      problems: ArchiveProblem[];
      manifest?: ArchiveManifest;
      /** The clinic whose published key the manifest was compared with. */
      clinic?: PublishedKey;
    };

export class ArchiveKeyService {
  constructor(private readonly clinics: ClinicRegistry) {}

  /** A clinic's archive-signing public key, as anyone may fetch it. */
  async publishedKey(slug: string): Promise<PublishedKey | undefined> {
    const row = await this.clinics.bySlug(slug.trim().toLowerCase());
    if (!row) return undefined;
    const handle = await this.clinics.get(row.id);
    const keys = await handle.keys.signing();
    return { slug: row.slug, name: row.name, publicKey: keys.publicKeyB64 };
  }

  /**
   * Checks a manifest's signature, and that the key is the published key of the clinic asked for
   * (or, when none is given, of the clinic the manifest names).
   */
  async check(text: string, slug?: string): Promise<ManifestCheck> {
    const parsed = parseManifest(text);
    let clinic: PublishedKey | undefined;
    if (slug) {
      clinic = await this.publishedKey(slug);
      if (!clinic) return { kind: 'unknown-clinic' };
    }
    if (!parsed.ok) return { kind: 'checked', ok: false, problems: parsed.problems, ...(clinic && { clinic }) };
    const manifest = parsed.manifest;
    clinic ??= await this.publishedKey(manifest.clinic.slug);
    // A manifest naming a clinic that is not here cannot be tied to any key: say so, do not pass it.
    if (!clinic) return { kind: 'no-clinic' };
    const problems = await checkManifestSignature(manifest, { expectedPublicKey: clinic.publicKey });
    return { kind: 'checked', ok: problems.length === 0, problems, manifest, clinic };
  }
}
