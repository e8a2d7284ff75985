// The templates a clinic can start from (added on demand by an administrator, and in the demo):
// treatment consent, consent to processing health data under Bahrain's PDPL (Law 30 of 2018),
// photography consent and a short intake questionnaire. They are clinic data once added, edited and
// versioned like any other template, so their text lives here and not in the message catalogue.
import type { FormKind, TemplateContent } from './content.ts';

export interface BuiltinTemplate {
  code: string;
  kind: FormKind;
  content: TemplateContent;
}

const yesno = (id: string, labelEn: string, labelAr: string, required = true) => ({ id, type: 'yesno' as const, labelEn, labelAr, required });

export const BUILTIN_TEMPLATES: BuiltinTemplate[] = [
  {
    code: 'treatment-consent',
    kind: 'consent',
    content: {
      titleEn: 'Consent to treatment',
      titleAr: 'الموافقة على العلاج',
      bodyEn:
        'I agree to the examination and treatment described below. The clinician explained what it involves, its expected benefits, its usual and serious risks, and the alternatives, including no treatment.\n' +
        'I understand that no result can be guaranteed, that I may ask questions at any time, and that I may withdraw this consent before or during treatment.',
      bodyAr:
        'أوافق على الفحص والعلاج الموضح أدناه. شرح لي الطبيب ما يتضمنه العلاج وفوائده المتوقعة ومخاطره المعتادة والخطيرة والبدائل المتاحة بما في ذلك عدم العلاج.\n' +
        'أفهم أنه لا يمكن ضمان أي نتيجة، وأنه يحق لي طرح الأسئلة في أي وقت، وأنه يحق لي سحب هذه الموافقة قبل العلاج أو أثناءه.',
      scope: 'treatment',
      fields: [
        { id: 'q1', type: 'text', labelEn: 'Treatment or procedure', labelAr: 'العلاج أو الإجراء', required: true },
        yesno('q2', 'The risks, benefits and alternatives were explained to me', 'تم شرح المخاطر والفوائد والبدائل لي'),
        yesno('q3', 'I had the chance to ask questions', 'أتيحت لي فرصة طرح الأسئلة'),
      ],
    },
  },
  {
    code: 'pdpl-consent',
    kind: 'consent',
    content: {
      titleEn: 'Consent to processing of personal health data (PDPL)',
      titleAr: 'الموافقة على معالجة البيانات الصحية الشخصية',
      bodyEn:
        'Under the Personal Data Protection Law (Law No. 30 of 2018), health data is sensitive personal data. The clinic processes it to provide and record your care, to bill you or your insurer, and to meet its legal duties. It is kept confidential, protected and retained only as long as the law requires.\n' +
        'You may ask to see your data, to correct it, and, where the law allows, to have it erased or to object to its processing. You may withdraw this consent at any time; this does not affect processing before the withdrawal or processing the law requires.',
      bodyAr:
        'وفقًا لقانون حماية البيانات الشخصية (القانون رقم ٣٠ لسنة ٢٠١٨)، تعد البيانات الصحية بيانات شخصية حساسة. تعالج العيادة هذه البيانات لتقديم الرعاية لك وتوثيقها، ولإصدار الفواتير لك أو لشركة التأمين، وللوفاء بالتزاماتها القانونية. وتحفظ بسرية وحماية ولا تحتفظ بها إلا للمدة التي يقتضيها القانون.\n' +
        'يحق لك طلب الاطلاع على بياناتك وتصحيحها، وطلب محوها أو الاعتراض على معالجتها حيث يسمح القانون بذلك. ويحق لك سحب هذه الموافقة في أي وقت، ولا يؤثر ذلك على المعالجة التي تمت قبل السحب أو التي يقتضيها القانون.',
      scope: 'patient-privacy',
      fields: [
        yesno('q1', 'I agree to my health data being processed for my care', 'أوافق على معالجة بياناتي الصحية لأغراض رعايتي'),
        yesno('q2', 'I agree to be contacted by SMS or e-mail about appointments', 'أوافق على التواصل معي عبر الرسائل النصية أو البريد الإلكتروني بشأن المواعيد', false),
        yesno('q3', 'I agree to my data being shared with my insurer for claims', 'أوافق على مشاركة بياناتي مع شركة التأمين لأغراض المطالبات', false),
      ],
    },
  },
  {
    code: 'photography-consent',
    kind: 'consent',
    content: {
      titleEn: 'Consent to clinical photography',
      titleAr: 'الموافقة على التصوير الطبي',
      bodyEn:
        'Photographs and images taken during my care become part of my medical record and are protected like the rest of it. I choose below how else they may be used. I may change my mind at any time by withdrawing this consent.',
      bodyAr:
        'تصبح الصور الملتقطة أثناء رعايتي جزءًا من سجلي الطبي وتحظى بالحماية نفسها. أختار أدناه أوجه الاستخدام الأخرى المسموح بها. ويحق لي تغيير رأيي في أي وقت بسحب هذه الموافقة.',
      scope: 'patient-privacy',
      fields: [
        {
          id: 'q1',
          type: 'choice',
          labelEn: 'Photographs may be used for',
          labelAr: 'يجوز استخدام الصور في',
          required: true,
          options: [
            { value: 'o1', en: 'My medical record only', ar: 'سجلي الطبي فقط' },
            { value: 'o2', en: 'My record and teaching within the clinic', ar: 'سجلي الطبي والتعليم داخل العيادة' },
            { value: 'o3', en: 'My record, teaching and publication without my face', ar: 'سجلي الطبي والتعليم والنشر دون إظهار وجهي' },
          ],
        },
      ],
    },
  },
  {
    code: 'intake-questionnaire',
    kind: 'questionnaire',
    content: {
      titleEn: 'New patient questionnaire',
      titleAr: 'استبيان المريض الجديد',
      bodyEn: 'Please answer these questions before your first visit. Your answers help the clinician and are kept in your medical record.',
      bodyAr: 'يرجى الإجابة عن هذه الأسئلة قبل زيارتك الأولى. تساعد إجاباتك الطبيب وتحفظ في سجلك الطبي.',
      fields: [
        { id: 'q1', type: 'text', labelEn: 'Reason for your visit', labelAr: 'سبب زيارتك', required: true },
        yesno('q2', 'Do you have any allergies?', 'هل لديك أي حساسية؟'),
        { id: 'q3', type: 'text', labelEn: 'If yes, to what?', labelAr: 'إذا كانت الإجابة نعم، فمن ماذا؟', required: false },
        yesno('q4', 'Do you take any medicines regularly?', 'هل تتناول أي أدوية بانتظام؟'),
        {
          id: 'q5',
          type: 'choice',
          labelEn: 'Do you smoke?',
          labelAr: 'هل تدخن؟',
          required: false,
          options: [
            { value: 'o1', en: 'Never', ar: 'أبدًا' },
            { value: 'o2', en: 'Former smoker', ar: 'مدخن سابق' },
            { value: 'o3', en: 'Current smoker', ar: 'مدخن حاليًا' },
          ],
        },
        { id: 'q6', type: 'date', labelEn: 'Date of your last check-up', labelAr: 'تاريخ آخر فحص لك', required: false },
      ],
    },
  },
];
