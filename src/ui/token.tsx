/**
 * A long token to copy (an authorization link, a TXT value), shown whole in a field of its own: it may
 * wrap after a separator (/ = ? & . -) or after every 12 letters of a long run, never elsewhere, so it
 * stays readable on a phone without breaking the words around it. One click selects all of it
 * (user-select: all, no JavaScript needed); `id` lets a label or a description point at it.
 */
const PIECE = /[^/=?&.-]{1,12}[/=?&.-]*|[/=?&.-]+/g;

export function Token({ value, id }: { value: string; id?: string }) {
  const pieces = value.match(PIECE) ?? [value];
  return (
    <code class="token" id={id}>
      {pieces.map((p, i) => (i === 0 ? p : [<wbr />, p]))}
    </code>
  );
}
