// README.txt of the patient archive, in English and Arabic: what each part is and how to check it.
// It is part of the record's promise (the clinic owns its data), so it is written for anyone.

export function readmeText(o: { clinic: string; mrn: string; created: string }): string {
  return `Patient archive — ${o.clinic}
Patient (MRN): ${o.mrn}
Created: ${o.created} (UTC)

This archive holds the complete record this clinic keeps about one patient.

  medical-history.pdf   the whole record to read: personal details, allergies, problems,
                        medications, vital signs, every encounter, prescriptions, consents,
                        dental findings and the list of attachments
  record.json           the same record for other systems: a FHIR R4 Bundle (type "collection")
  encounters/           one PDF per encounter (date_id.pdf)
  prescriptions/        one PDF per prescription (date_id.pdf)
  consents/             signed consents and completed forms as PDF (date_id.pdf)
  charts/               the dental chart: dental.json (findings per tooth and surface, FDI
                        numbering) and dental.svg (the drawing)
  attachments/          the uploaded files, byte for byte; index.csv lists them with their
                        original names, types, sizes, SHA-256, who uploaded them and when
  manifest.json         every file's size and SHA-256, signed with the clinic's Ed25519 key

How to verify it
  invent archive verify <this file>.zip
checks the signature and every file: nothing changed, nothing missing, nothing added. To be sure
the key is the clinic's, compare manifest.json's "publicKey" with the key the clinic publishes
(or upload manifest.json on the clinic's "Verify an archive" page).

Keep this file safe: it contains health information.

────────────────────────────────────────────────────────────────────────

أرشيف المريض — ${o.clinic}
الرقم الطبي للمريض: ${o.mrn}
تاريخ الإنشاء: ${o.created} (بالتوقيت العالمي)

يحتوي هذا الأرشيف على السجل الكامل الذي تحتفظ به العيادة عن مريض واحد.

  medical-history.pdf   السجل كاملًا للقراءة: البيانات الشخصية، والحساسية، والمشكلات الصحية،
                        والأدوية، والعلامات الحيوية، وكل الزيارات، والوصفات، والموافقات،
                        ونتائج فحص الأسنان، وقائمة المرفقات
  record.json           السجل نفسه للأنظمة الأخرى بصيغة FHIR R4
  encounters/           ملف PDF لكل زيارة
  prescriptions/        ملف PDF لكل وصفة طبية
  consents/             الموافقات الموقّعة والنماذج المكتملة بصيغة PDF
  charts/               مخطط الأسنان: dental.json (النتائج لكل سن وسطح بترقيم FDI) و dental.svg (الرسم)
  attachments/          الملفات المرفوعة كما هي تمامًا؛ ويسرد index.csv أسماءها الأصلية وأنواعها
                        وأحجامها وبصمة SHA-256 ومن رفعها ومتى
  manifest.json         حجم كل ملف وبصمته SHA-256، موقّعة بمفتاح Ed25519 الخاص بالعيادة

طريقة التحقق
  invent archive verify <اسم الملف>.zip
يتحقق الأمر من التوقيع ومن كل ملف: لم يتغير شيء، ولم ينقص شيء، ولم يُضف شيء. وللتأكد من أن المفتاح
مفتاح العيادة، قارن قيمة "publicKey" في manifest.json بالمفتاح الذي تنشره العيادة (أو ارفع
manifest.json في صفحة "التحقق من أرشيف" لدى العيادة).

احفظ هذا الملف في مكان آمن: فهو يحتوي على معلومات صحية.
`;
}
