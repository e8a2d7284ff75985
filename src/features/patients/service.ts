// Patients: register (with a duplicate warning), correct (previous values kept: rectification),
// read and search through blind indexes. Every write and its audit event commit together.
import { eq, inArray } from 'drizzle-orm';
import { cprBirthMonthMismatch } from '../../patients/identifiers.ts';
import { localDay } from '../../i18n/format.ts';
import type { Clock } from '../../platform/ports.ts';
import type { ControlDb } from '../../tenancy/db.ts';
import type { ClinicHandle, ClinicRegistry } from '../../tenancy/registry.ts';
import { patients } from '../../tenancy/schema/clinic/index.ts';
import { users } from '../../tenancy/schema/control.ts';
import { auditedDbWrite } from '../../audit/log.ts';
import { eventFor, type AuditContext } from '../../audit/context.ts';
import type { AuditEvent } from '../../audit/types.ts';
import { newId } from '../../crypto/bytes.ts';
import type { FieldErrors } from '../../http/forms.ts';
import { changedFields, nameDobKeys, toDemographics, type Demographics, type DemographicsForm } from './demographics.ts';
import {
  PATIENT_ID, clearIndex, historyOf, idsByTokens, indexRows, pageByTokens, insertHistory, nextMrn, rowById, rowByMrn, rowsByIds, sealDemographics, toPatient,
  tokenFor, writeIndex, type HistoryEntry, type Patient,
} from './repo.ts';
import { byName, matches, parseQuery } from './search.ts';

export type { Patient, HistoryEntry };

export type RegisterOutcome =
  | { ok: true; patient: Patient }
  | { ok: false; errors: FieldErrors; duplicates?: undefined }
  /** Same CPR, or same name and date of birth ("register anyway"), or a CPR whose YYMM is not the
   * birth month ("the CPR is right"): warnings shown until the person confirms. */
  | { ok: false; duplicates: Patient[]; cprMismatch: boolean; errors?: undefined };

export type EditOutcome =
  | { ok: true; patient: Patient; changed: string[] }
  | { ok: false; problem: 'not-found' | 'conflict' | 'cpr-mismatch'; errors?: undefined }
  | { ok: false; errors: FieldErrors; problem?: undefined };

export interface SearchPage {
  results: Patient[];
  /** Matching patients in all; null when a name matches more than one search sorts (tooMany): not counted. */
  total: number | null;
  /** Another page follows. */
  hasMore: boolean;
  offset: number;
  limit: number;
  /** The name matched more patients than one search sorts by name (MAX_CANDIDATES): they come in record order, a page at a time, only that page decrypted. */
  tooMany: boolean;
}

export const PAGE_SIZE = 25;
/** A name search decrypts at most this many candidate rows. */
export const MAX_CANDIDATES = 100;

export class PatientService {
  constructor(private readonly deps: { clinics: ClinicRegistry; clock: Clock; control?: ControlDb; maxCandidates?: number }) {}

  private handle(clinicId: string): Promise<ClinicHandle> {
    return this.deps.clinics.get(clinicId);
  }

  /** Today's date (YYYY-MM-DD) in the clinic's time zone. */
  async today(clinicId: string): Promise<string> {
    const h = await this.handle(clinicId);
    return localDay(this.deps.clock.now(), h.timezone);
  }

  /** The patient with this id in this clinic, decrypted; null for a malformed or unknown id (AC2). */
  async get(clinicId: string, id: string): Promise<Patient | null> {
    if (!PATIENT_ID.test(id)) return null;
    const h = await this.handle(clinicId);
    const row = await rowById(h.db, id);
    return row ? toPatient(h, row) : null;
  }

  async getByMrn(clinicId: string, mrn: string): Promise<Patient | null> {
    const h = await this.handle(clinicId);
    const row = await rowByMrn(h.db, mrn);
    return row ? toPatient(h, row) : null;
  }

  /** Other patients with the same CPR, or the same name and date of birth. */
  async duplicatesOf(clinicId: string, d: Demographics, exceptId?: string): Promise<Patient[]> {
    const h = await this.handle(clinicId);
    const keys = nameDobKeys(d);
    const ids = new Set([
      ...(d.cpr ? await idsByTokens(h.db, 'cpr', [await tokenFor(h, 'cpr', d.cpr)]) : []),
      ...(await idsByTokens(h.db, 'namedob', await Promise.all(keys.map((k) => tokenFor(h, 'namedob', k))))),
    ]);
    if (exceptId) ids.delete(exceptId);
    const found = await Promise.all((await rowsByIds(h.db, [...ids])).map((r) => toPatient(h, r)));
    return found
      .filter((p) => (d.cpr && p.demographics.cpr === d.cpr) || nameDobKeys(p.demographics).some((k) => keys.includes(k)))
      .sort(byName);
  }

  /** Checks the form and registers the patient, unless it looks like a duplicate and `registerAnyway` is not set. */
  async register(ctx: AuditContext, form: DemographicsForm): Promise<RegisterOutcome> {
    const checked = toDemographics(form, await this.today(ctx.clinicId));
    if (!checked.ok) return checked;
    const duplicates = form.registerAnyway === '1' ? [] : await this.duplicatesOf(ctx.clinicId, checked.value);
    const cprMismatch = form.confirmCpr !== '1' && unconfirmedCpr(checked.value);
    if (duplicates.length > 0 || cprMismatch) return { ok: false, duplicates, cprMismatch };
    return { ok: true, patient: await this.create(ctx, [{ demographics: checked.value }]).then((p) => p[0]!) };
  }

  /**
   * Inserts already-checked records in one transaction with one `create` event each. An MRN is
   * generated (P-000001...) unless given (demo D-0001, bench B-000001).
   */
  async create(ctx: AuditContext, records: { demographics: Demographics; mrn?: string }[]): Promise<Patient[]> {
    const h = await this.handle(ctx.clinicId);
    const at = this.deps.clock.now().toISOString();
    const prepared = await Promise.all(
      records.map(async (r) => {
        const id = newId('p');
        return { id, r, sealed: await sealDemographics(h, id, r.demographics), index: await indexRows(h, id, r.demographics) };
      }),
    );
    return auditedDbWrite(h.db, this.deps.clock, async (tx) => {
      const out: Patient[] = [];
      const events: AuditEvent[] = [];
      for (const p of prepared) {
        const mrn = p.r.mrn ?? (await nextMrn(tx));
        await tx.insert(patients).values({ id: p.id, mrn, demographics: p.sealed, createdAt: at, createdBy: ctx.actor.userId, updatedAt: at });
        await writeIndex(tx, p.index);
        out.push({ id: p.id, mrn, restricted: false, version: 1, createdAt: at, updatedAt: at, demographics: p.r.demographics });
        events.push(eventFor(ctx, { action: 'create', outcome: 'success', entity: { type: 'patient', id: p.id, patientId: p.id } }));
      }
      return { result: out, events };
    });
  }

  /**
   * Corrects a record: the previous values go to the history, encrypted, with the changed field
   * names and the reason. `version` is the one the form was built from (optimistic concurrency).
   */
  async edit(ctx: AuditContext, id: string, form: Omit<DemographicsForm, 'registerAnyway'>, version: number, reason: string): Promise<EditOutcome> {
    const current = await this.get(ctx.clinicId, id);
    if (!current) return { ok: false, problem: 'not-found' };
    const checked = toDemographics(form, await this.today(ctx.clinicId));
    if (!checked.ok) return checked;
    if (current.version !== version) return { ok: false, problem: 'conflict' };
    const next = checked.value;
    const changed = changedFields(current.demographics, next);
    if (changed.length === 0) return { ok: true, patient: current, changed };
    const cprTouched = changed.includes('cpr') || changed.includes('dateOfBirth');
    if (cprTouched && form.confirmCpr !== '1' && unconfirmedCpr(next)) return { ok: false, problem: 'cpr-mismatch' };
    const h = await this.handle(ctx.clinicId);
    const at = this.deps.clock.now().toISOString();
    const sealed = await sealDemographics(h, id, next);
    const index = await indexRows(h, id, next);
    return auditedDbWrite(h.db, this.deps.clock, async (tx) => {
      const row = await rowById(tx, id);
      if (!row || row.version !== version) return { result: { ok: false, problem: 'conflict' } as EditOutcome, events: [] };
      await insertHistory(h, tx, { id: newId('ph'), patientId: id, at, userId: ctx.actor.userId, version, fields: changed, reason, previous: current.demographics });
      await tx.update(patients).set({ demographics: sealed, version: version + 1, updatedAt: at }).where(eq(patients.id, id));
      await clearIndex(tx, id);
      await writeIndex(tx, index);
      const patient: Patient = { ...current, version: version + 1, updatedAt: at, demographics: next };
      return {
        result: { ok: true, patient, changed } as EditOutcome,
        events: [eventFor(ctx, { action: 'update', outcome: 'success', entity: { type: 'patient', id, patientId: id }, detail: { changed: changed.join(',') } })],
      };
    });
  }

  /** The corrections of a patient's record, newest first; null for an unknown patient. */
  async history(clinicId: string, id: string): Promise<HistoryEntry[] | null> {
    if (!(await this.get(clinicId, id))) return null;
    return historyOf(await this.handle(clinicId), id);
  }

  /** Display names of staff (for the history page). */
  async staffNames(userIds: string[]): Promise<Map<string, string>> {
    const ids = [...new Set(userIds)];
    if (!this.deps.control || ids.length === 0) return new Map();
    const rows = await this.deps.control.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids));
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /**
   * Patients matching a name (every term a prefix of a name word, English or Arabic), an MRN, a
   * CPR or a phone. Blind-index lookups find candidates; each is decrypted and checked, so the
   * result is exactly what a plaintext filter would give (CR2). Sorted by name, paged. A name that
   * matches more than MAX_CANDIDATES patients is refused (tooMany) rather than listed in part.
   */
  async search(clinicId: string, q: string, page: { offset?: number; limit?: number } = {}): Promise<SearchPage> {
    const limit = Math.min(Math.max(page.limit ?? PAGE_SIZE, 1), 100);
    const offset = Math.max(page.offset ?? 0, 0);
    const parsed = parseQuery(q);
    if (!parsed) return { results: [], total: 0, hasMore: false, offset, limit, tooMany: false };
    const h = await this.handle(clinicId);
    const ids = new Set<string>();
    const byMrn = await rowByMrn(h.db, parsed.mrn);
    if (byMrn) ids.add(byMrn.id);
    if (parsed.cpr) for (const id of await idsByTokens(h.db, 'cpr', [await tokenFor(h, 'cpr', parsed.cpr)])) ids.add(id);
    if (parsed.phone) for (const id of await idsByTokens(h.db, 'phone', [await tokenFor(h, 'phone', parsed.phone)])) ids.add(id);
    if (parsed.terms.length > 0) {
      const tokens = await Promise.all(parsed.terms.map((t) => tokenFor(h, 'name', t)));
      const max = this.deps.maxCandidates ?? MAX_CANDIDATES;
      const probe = await pageByTokens(h.db, 'name', tokens, { offset: 0, limit: max + 1 });
      if (probe.length > max) {
        // Too common a name to decrypt and sort every match: exact identifier matches first, then
        // the name's matches a page at a time in record order, only that page decrypted.
        const exact = (await Promise.all((await rowsByIds(h.db, [...ids])).map((r) => toPatient(h, r))))
          .filter((p) => matches(parsed, p.mrn, p.demographics))
          .sort(byName);
        const skip = Math.max(0, offset - exact.length);
        // One more than the page tells whether another follows. The probe already holds the first
        // max+1 ids in the same order: most pages need no second query.
        const pageIds = skip + limit + 1 <= probe.length ? probe.slice(skip, skip + limit + 1) : await pageByTokens(h.db, 'name', tokens, { offset: skip, limit: limit + 1 });
        const named = (await Promise.all((await rowsByIds(h.db, pageIds)).map((r) => toPatient(h, r))))
          .filter((p) => matches(parsed, p.mrn, p.demographics) && !exact.some((e) => e.id === p.id))
          .sort((a, b) => (a.id < b.id ? -1 : 1));
        const all = [...exact.slice(offset, offset + limit), ...named];
        return { results: all.slice(0, limit), total: null, hasMore: all.length > limit || pageIds.length > limit, offset, limit, tooMany: true };
      }
      for (const id of probe) ids.add(id);
    }
    const rows = await rowsByIds(h.db, [...ids]);
    const found = (await Promise.all(rows.map((r) => toPatient(h, r)))).filter((p) => matches(parsed, p.mrn, p.demographics)).sort(byName);
    return { results: found.slice(offset, offset + limit), total: found.length, hasMore: offset + limit < found.length, offset, limit, tooMany: false };
  }
}

/** A CPR whose first four digits are not the birth YYMM: often a typo, sometimes a real older number. */
function unconfirmedCpr(d: Demographics): boolean {
  return !!d.cpr && !!d.dateOfBirth && cprBirthMonthMismatch(d.cpr, d.dateOfBirth);
}
