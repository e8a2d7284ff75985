/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { Frame } from '../frame.ts';
import type { MessageKey } from '../../src/i18n/index.ts';

export function Csrf({ frame }: { frame: Frame }) {
  return frame.csrf ? <input type="hidden" name="_csrf" value={frame.csrf} /> : null;
}

/** A labelled field with its error, announced to screen readers. */
export function Field(props: { frame: Frame; name: string; label: string; error?: MessageKey | undefined; hint?: string; children: Child }) {
  const errId = `${props.name}-error`;
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <label for={props.name}>{props.label}</label>
      {props.hint && <small class="hint">{props.hint}</small>}
      {props.children}
      {props.error && (
        <p class="field-error" id={errId} role="alert">
          {props.frame.t(props.error)}
        </p>
      )}
    </div>
  );
}

export function Alert({ children, kind = 'error' }: { children: Child; kind?: 'error' | 'info' }) {
  return (
    <p class={kind === 'error' ? 'alert' : 'notice'} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  );
}
