/** @jsxImportSource hono/jsx */
// Pieces shared by the consent and form pages: the template's text in both languages, badges, an
// answer as shown, and a drawn signature as inline SVG (numbers only: nothing user-typed reaches it).
import type { Frame } from '../../frame.ts';
import type { FormField, FormKind, TemplateContent } from '../../../src/features/forms/content.ts';
import { PAD_HEIGHT, PAD_WIDTH, storedPath } from '../../../src/features/forms/signature.ts';

const paragraphs = (text: string) => text.split(/\r?\n/).map((p) => p.trim()).filter(Boolean);

/** Title and body in English and Arabic, each in its own language and direction. */
export function TemplateText({ content, level = 2 }: { content: TemplateContent; level?: 1 | 2 }) {
  const H = level === 1 ? 'h1' : 'h2';
  return (
    <div class="form-text">
      <section lang="en" dir="ltr" data-lang="en">
        <H>{content.titleEn}</H>
        {paragraphs(content.bodyEn).map((p) => (
          <p>{p}</p>
        ))}
      </section>
      <section lang="ar" dir="rtl" data-lang="ar">
        <H>{content.titleAr}</H>
        {paragraphs(content.bodyAr).map((p) => (
          <p>{p}</p>
        ))}
      </section>
    </div>
  );
}

/** A field's label in both languages. */
export function FieldLabel({ field }: { field: FormField }) {
  return (
    <>
      <bdi lang="en" dir="ltr">
        {field.labelEn}
      </bdi>
      {' · '}
      <bdi lang="ar" dir="rtl">
        {field.labelAr}
      </bdi>
    </>
  );
}

export function KindBadge({ frame, kind }: { frame: Frame; kind: FormKind }) {
  return (
    <span class={`badge form-${kind}`} data-kind={kind}>
      {frame.t(`consents.kind.${kind}`)}
    </span>
  );
}

export function StatusBadge({ frame, status }: { frame: Frame; status: 'active' | 'withdrawn' | 'retired' }) {
  return (
    <span class={`badge form-status-${status}`} data-status={status}>
      {frame.t(`consents.status.${status}`)}
    </span>
  );
}

/** An answer as shown on the page: yes/no and choices translated, dates and text as given. */
export function answerLabel(frame: Frame, field: FormField, value: string | undefined): string {
  if (!value) return '—';
  if (field.type === 'yesno') return frame.t(value === 'yes' ? 'consents.answer.yes' : 'consents.answer.no');
  if (field.type === 'choice') {
    const o = (field.options ?? []).find((x) => x.value === value);
    return o ? (frame.lang === 'ar' ? o.ar : o.en) : value;
  }
  return value;
}

export function SignatureSvg({ frame, strokes }: { frame: Frame; strokes: string }) {
  return (
    <svg
      class="signature"
      data-testid="signature-svg"
      viewBox={`0 0 ${PAD_WIDTH} ${PAD_HEIGHT}`}
      width={PAD_WIDTH / 2}
      height={PAD_HEIGHT / 2}
      role="img"
      aria-label={frame.t('consents.signature.drawn')}
    >
      <rect x="0" y="0" width={PAD_WIDTH} height={PAD_HEIGHT} fill="none" stroke="#bbb" stroke-width="2" />
      <path d={storedPath(strokes)} fill="none" stroke="#10206a" stroke-width="4" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
