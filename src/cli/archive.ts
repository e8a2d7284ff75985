// `invent archive verify FILE.zip`: checks a patient archive (CONTRACT.md) with nothing but the file
// (and, optionally, the clinic's published key). It needs no data folder, so anyone can run it.
// Exit 0 intact; 1 with one `<path>: <reason>` line per problem on stderr, the first naming the file.
import { CommandError, UsageError, optionalString, parseArgs, requireString } from './args.ts';
import { services } from '../system-app.ts';
import { OPERATOR } from '../audit/types.ts';
import { newId } from '../crypto/bytes.ts';
import { printJson, type CliContext } from './context.ts';
import { LocalFileError } from '../platform/local-files.ts';
import { verifyArchive } from '../archive/verify.ts';
import { problemLine } from '../archive/manifest.ts';
import { decodeBase64 } from '../crypto/bytes.ts';

export const archiveUsage = [
  'invent archive create --clinic S --mrn M --out FILE.zip [--reason TEXT] [--lang en|ar] [--json]',
  'invent archive verify FILE.zip [--public-key BASE64] [--json]',
];

export async function archiveVerb(ctx: CliContext, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'verify') return verifyVerb(ctx, rest);
  if (sub === 'create') return createVerb(ctx, rest);
  throw new UsageError(sub ? `unknown archive command "${sub}"` : 'archive needs a command: create or verify');
}

function publicKeyFlag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let raw: Uint8Array | undefined;
  try {
    raw = decodeBase64(value.trim());
  } catch {
    raw = undefined;
  }
  if (raw?.length !== 32) throw new UsageError('--public-key must be a base64 Ed25519 public key (32 bytes)');
  return value.trim();
}

async function verifyVerb(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { 'public-key': 'string', json: 'boolean' }, { min: 1, max: 1 });
  const file = p.positionals[0]!;
  const expectedPublicKey = publicKeyFlag(optionalString(p, 'public-key'));
  let bytes: Uint8Array;
  try {
    bytes = await ctx.platform.files.read(file);
  } catch (e) {
    if (e instanceof LocalFileError) throw new CommandError(e.message);
    throw e;
  }
  const name = file.split(/[\\/]/).pop() || file;
  const verdict = await verifyArchive(bytes, { name, ...(expectedPublicKey ? { expectedPublicKey } : {}) });
  const m = verdict.manifest;
  if (p.flags.json) {
    printJson(ctx.io, {
      ok: verdict.ok,
      file,
      problems: verdict.problems,
      ...(m && { clinic: m.clinic, patient: m.patient, created: m.created, files: m.files.length, publicKey: m.publicKey }),
    });
  }
  if (!verdict.ok) {
    ctx.io.err(verdict.problems.map((x) => problemLine(x) + '\n').join(''));
    return 1;
  }
  if (!p.flags.json) {
    const keyNote = expectedPublicKey ? "the clinic's published key" : 'the key it carries (pass --public-key to check it is the clinic\'s)';
    ctx.io.out(`intact: ${m!.files.length} files and manifest.json, signed by ${keyNote}; clinic ${m!.clinic.slug}, patient ${m!.patient.mrn}, created ${m!.created}\n`);
  }
  return 0;
}

/** `invent archive create`: the same archive an administrator gets from the chart, written to a file. */
async function createVerb(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { clinic: 'string', mrn: 'string', out: 'string', reason: 'string', lang: 'string', json: 'boolean' }, { min: 0, max: 0 });
  const slug = requireString(p, 'clinic');
  const mrn = requireString(p, 'mrn');
  const out = requireString(p, 'out');
  const lang = optionalString(p, 'lang') ?? 'en';
  if (lang !== 'en' && lang !== 'ar') throw new UsageError('--lang must be en or ar');
  const reason = (optionalString(p, 'reason') ?? 'operator archive (invent archive create)').trim();
  if (reason.length < 5 || reason.length > 500) throw new UsageError('--reason must be 5 to 500 characters');
  const system = await ctx.open();
  try {
    const clinic = await system.clinics.bySlug(slug);
    if (!clinic) throw new CommandError(`no clinic "${slug}"`);
    const { patients, archives } = services(system, ctx.platform.clock);
    const patient = await patients.getByMrn(clinic.id, mrn);
    if (!patient) throw new CommandError(`no patient with MRN ${mrn} in clinic ${slug}`);
    const audit = { clinicId: clinic.id, actor: OPERATOR, requestId: newId('req'), route: 'cli:archive create' };
    const built = await archives.buildNow(audit, patient.id, reason, lang);
    if (!built) throw new CommandError(`no patient with MRN ${mrn} in clinic ${slug}`);
    try {
      await ctx.platform.files.write(out, built.zip, { mode: 0o600 });
    } catch (e) {
      // The file was not written whole: the record says so (`done` waits for a ZIP that never ends).
      await archives.markFailed(clinic.id, built.archiveId, e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : 'write failed');
      if (e instanceof LocalFileError) throw new CommandError(e.message);
      throw e;
    }
    const done = await built.done;
    if (p.flags.json) printJson(ctx.io, { file: out, archive: built.archiveId, clinic: slug, mrn, ...done });
    else ctx.io.out(`wrote ${out}: ${done.files} files, ${done.bytes} bytes, sha256 ${done.sha256}\n`);
    return 0;
  } finally {
    await system.close();
  }
}
