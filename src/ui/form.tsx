import type { Child } from 'hono/jsx';
import { useRequestContext } from '#jsx/jsx-runtime';
import type { AppEnv } from '../context.ts';

/** Field name → message, as shown beside each field. */
export type FieldErrors = Partial<Record<string, string>>;

export function CsrfField() {
  const c = useRequestContext<AppEnv>();
  return <input type="hidden" name="_csrf" value={c.get('csrf')} />;
}

export function ErrorSummary({ errors }: { errors?: FieldErrors | string | null }) {
  if (!errors) return null;
  const list = typeof errors === 'string' ? [errors] : Object.values(errors).filter(Boolean);
  if (list.length === 0) return null;
  return (
    <div class="error-summary" role="alert">
      {list.length === 1 ? (
        <p>{list[0]}</p>
      ) : (
        <ul>
          {list.map((e) => (
            <li>{e}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface FieldProps {
  name: string;
  label: string;
  value?: string | number | null;
  error?: string;
  type?: string;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  inputmode?: 'numeric' | 'email' | 'text' | 'search';
  pattern?: string;
  min?: number;
  max?: number;
  maxlength?: number;
  children?: Child;
}

/** A labelled input that shows its error and keeps what was typed (passwords excepted). */
export function Field(p: FieldProps) {
  const id = `f-${p.name}`;
  const describedBy = [p.hint && `${id}-hint`, p.error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div class={p.error ? 'field invalid' : 'field'}>
      <label for={id}>{p.label}</label>
      {p.hint && (
        <small id={`${id}-hint`} class="hint">
          {p.hint}
        </small>
      )}
      {p.children ?? (
        <input
          id={id}
          name={p.name}
          type={p.type ?? 'text'}
          value={p.type === 'password' ? undefined : (p.value ?? undefined)}
          required={p.required}
          autocomplete={p.autocomplete}
          inputmode={p.inputmode}
          pattern={p.pattern}
          min={p.min}
          max={p.max}
          maxlength={p.maxlength}
          aria-invalid={p.error ? 'true' : undefined}
          aria-describedby={describedBy}
        />
      )}
      {p.error && (
        <small id={`${id}-error`} class="error">
          {p.error}
        </small>
      )}
    </div>
  );
}
