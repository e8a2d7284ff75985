// The patient archive package (CONTRACT.md): one ZIP holding the whole record for people and for
// machines, with a signed manifest. Every part is read from the clinic database and the BlobStore;
// the ZIP streams out (ArchiveZipWriter) and each document is made only when the writer reaches it,
// so memory does not grow with the number of encounters or the size of the attachments.
import { toCsv } from '../http/csv.ts';
import type { Assets } from '../platform/ports.ts';
import type { ControlDb } from '../tenancy/db.ts';
import type { ClinicRegistry } from '../tenancy/registry.ts';
import type { Lang } from '../i18n/index.ts';
import type { Attachment } from '../features/documents/repo.ts';
import { safeFileName } from '../features/documents/filename.ts';
import { formsForArchive, consentInputsOf } from '../features/forms/archive.ts';
import { prescriptionPdf } from '../features/prescriptions/pdf.ts';
import type { DentalChartJson } from '../dental/json.ts';
import { loadPatientRecord, loadStaff } from './patient-record.ts';
import type { DocumentInput, PatientRecord } from './fhir/record.ts';
import { buildFhirBundle } from './fhir/bundle.ts';
import { medicalHistoryPdf } from './pdf/history.ts';
import { encounterPdf } from './pdf/encounter.ts';
import { localDay } from '../i18n/format.ts';
import { ArchiveZipWriter, type HashFactory } from './zip.ts';
import { MANIFEST_PATH, manifestJson, signManifest, type ArchiveManifest } from './manifest.ts';
import { readmeText } from './readme.ts';

/** Where the archive's parts come from. */
export interface ArchiveSources {
  clinics: ClinicRegistry;
  control?: ControlDb;
  assets: Assets;
  documents: {
    attachmentsOf(clinicId: string, patientId: string, opts: { includeDeleted?: boolean }): Promise<Attachment[]>;
    contentOf(clinicId: string, a: Pick<Attachment, 'blobName' | 'bytes'>): Promise<ReadableStream<Uint8Array>>;
  };
  dental: {
    dentalChartJson(clinicId: string, patientId: string): Promise<DentalChartJson>;
    dentalChartSvg(clinicId: string, patientId: string, opts?: { lang?: Lang }): Promise<string>;
  };
  /** The platform's native incremental SHA-256, when it has one (BlobStore.sha256). */
  sha256?: HashFactory;
}

export interface ArchiveRequest {
  clinicId: string;
  patientId: string;
  createdBy: ArchiveManifest['createdBy'];
  /** Language of the documents made for people (the history and encounter PDFs). */
  lang: Lang;
  now: Date;
  /** Called as the parts are made; percent 0-100. */
  progress?: (step: ArchiveStep, percent: number) => void | Promise<void>;
}

export type ArchiveStep = 'gathering' | 'documents' | 'attachments' | 'signing';

export interface BuiltArchive {
  /** The ZIP, produced as it is read. */
  zip: ReadableStream<Uint8Array>;
  /** Resolves once the last byte is out. */
  manifest: Promise<ArchiveManifest>;
  files: number;
}

export class ArchiveSourceError extends Error {
  override name = 'ArchiveSourceError';
}

/**
 * A part made only when the ZIP writer asks for its bytes. highWaterMark 0: a web stream with the
 * default buffer of one chunk pulls as soon as it is made, which would build every document at once.
 */
function lazy(make: () => Promise<Uint8Array | string>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const out = await make();
        controller.enqueue(typeof out === 'string' ? new TextEncoder().encode(out) : out);
        controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}

/** Streams `source` through, calling `after` once it has ended (progress as attachments go by). */
function tap(source: ReadableStream<Uint8Array>, after: () => void): ReadableStream<Uint8Array> {
  return source.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ flush: () => after() }));
}

export async function buildPatientArchive(src: ArchiveSources, req: ArchiveRequest): Promise<BuiltArchive> {
  const progress = (step: ArchiveStep, percent: number) => void Promise.resolve(req.progress?.(step, Math.round(percent))).catch(() => undefined);
  progress('gathering', 0);
  const h = await src.clinics.get(req.clinicId);
  const base = await loadPatientRecord(h, req.patientId, src.control ? { control: src.control } : {});
  if (!base) throw new ArchiveSourceError('no such patient in this clinic');
  const [attachments, forms, dental, dentalSvg] = await Promise.all([
    // A deleted attachment was most often filed under the wrong patient: it stays in the clinic
    // (retention), never in this patient's archive.
    src.documents.attachmentsOf(req.clinicId, req.patientId, { includeDeleted: false }),
    formsForArchive(src.clinics, req.clinicId, req.patientId),
    src.dental.dentalChartJson(req.clinicId, req.patientId),
    src.dental.dentalChartSvg(req.clinicId, req.patientId, { lang: req.lang }),
  ]);
  const documents = attachments.map((a) => documentInput(a));
  const consents = consentInputsOf(forms);
  // Uploaders, consent recorders and witnesses are named too (Practitioner resources, the index).
  const known = new Set(base.staff.map((s) => s.id));
  const more = [...attachments.map((a) => a.uploadedBy), ...consents.flatMap((c) => [c.recordedBy, c.witnessId ?? ''])].filter((id) => id && !known.has(id));
  const staff = more.length > 0 ? [...base.staff, ...(await loadStaff(h, src.control, more))] : base.staff;
  const record: PatientRecord = { ...base, staff, documents, consents };
  const tz = h.timezone;
  const generatedBy = req.createdBy.name;
  const common = { assets: src.assets, record, lang: req.lang, generatedBy, now: req.now };

  const zip = new ArchiveZipWriter({ date: req.now, ...(src.sha256 ? { sha256: src.sha256 } : {}) });
  const documentCount = 2 + record.encounters.length + record.prescriptions.length;
  // Each step counts its own parts (they are made when the writer reaches them, so steps interleave).
  const done = (step: ArchiveStep, from: number, span: number, of: number) => {
    let made = 0;
    return () => progress(step, from + (span * Math.min(++made, of)) / Math.max(of, 1));
  };
  const tick = done('documents', 5, 60, documentCount - 1);

  zip.add('README.txt', readmeText({ clinic: h.name, mrn: record.patient.mrn, created: req.now.toISOString() }));
  zip.add('medical-history.pdf', lazy(async () => (await medicalHistoryPdf({ ...common, dental }).finally(tick))));
  zip.add('record.json', lazy(async () => JSON.stringify(buildFhirBundle(record, { generatedAt: req.now.toISOString() }), null, 2) + '\n'), { mediaType: 'application/fhir+json' });
  for (const e of record.encounters) {
    zip.add(`encounters/${localDay(new Date(e.startedAt), tz)}_${e.id}.pdf`, lazy(() => encounterPdf({ ...common, encounter: e }).finally(tick)));
  }
  for (const rx of record.prescriptions) {
    zip.add(
      `prescriptions/${localDay(new Date(rx.signedAt ?? rx.createdAt), tz)}_${rx.id}.pdf`,
      lazy(() => prescriptionPdf({ assets: src.assets, clinic: h, rx, patient: record.patient, lang: req.lang, printedBy: generatedBy, now: req.now }).finally(tick)),
    );
  }
  for (const f of forms) zip.add(f.path, f.bytes, { mediaType: f.mediaType });
  zip.add('charts/dental.json', JSON.stringify(dental, null, 2) + '\n');
  zip.add('charts/dental.svg', dentalSvg);

  const fileTick = done('attachments', 65, 30, attachments.length);
  attachments.forEach((a, i) => {
    // Opened only when the writer reaches it, so one attachment at a time is being read.
    const path = documents[i]!.path;
    zip.add(path, lazyStream(() => src.documents.contentOf(req.clinicId, a), fileTick), { mediaType: a.mediaType });
  });
  zip.add('attachments/index.csv', indexCsv(record, documents, attachments));

  let manifestReady!: { resolve: (m: ArchiveManifest) => void; reject: (e: unknown) => void };
  const manifest = new Promise<ArchiveManifest>((resolve, reject) => {
    manifestReady = { resolve, reject };
  });
  const out = zip.finish({
    path: MANIFEST_PATH,
    mediaType: 'application/json',
    content: async (files) => {
      progress('signing', 97);
      try {
        const signed = await signManifest(
          { clinic: { id: h.id, slug: h.slug, name: h.name }, patient: { id: record.patient.id, mrn: record.patient.mrn }, created: req.now.toISOString(), createdBy: req.createdBy, files },
          await h.keys.signing(),
        );
        manifestReady.resolve(signed);
        return manifestJson(signed);
      } catch (e) {
        manifestReady.reject(e);
        throw e;
      }
    },
  });
  manifest.catch(() => undefined);
  // README, history, record.json, encounters, prescriptions, consents, two charts, attachments, index, manifest.
  return { zip: out, manifest, files: 1 + documentCount + forms.length + 2 + attachments.length + 1 + 1 };
}

function lazyStream(open: () => Promise<ReadableStream<Uint8Array>>, after: () => void): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        reader ??= tap(await open(), after).getReader();
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: (reason) => reader?.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

function documentInput(a: Attachment): DocumentInput {
  return {
    id: a.id,
    title: a.title,
    category: a.category,
    mediaType: a.mediaType,
    bytes: a.bytes,
    sha256: a.sha256,
    created: a.uploadedAt,
    uploadedBy: a.uploadedBy,
    path: `attachments/${a.id}_${safeFileName(a.originalName, a.mediaType)}`,
    originalName: a.originalName,
    encounterId: a.encounterId,
    takenOn: a.takenOn,
  };
}

/** attachments/index.csv (CONTRACT.md): path, original name, media type, bytes, sha256, uploaded at, uploaded by, linked encounter. */
function indexCsv(record: PatientRecord, docs: DocumentInput[], attachments: Attachment[]): string {
  const names = new Map(record.staff.map((s) => [s.id, s.name]));
  const header = ['path', 'original name', 'media type', 'bytes', 'sha256', 'uploaded at', 'uploaded by', 'linked encounter'];
  const rows = docs.map((d, i) => [d.path, attachments[i]!.originalName, d.mediaType, d.bytes, d.sha256, d.created, names.get(d.uploadedBy) ?? d.uploadedBy, d.encounterId ?? '']);
  return toCsv(header, rows);
}

