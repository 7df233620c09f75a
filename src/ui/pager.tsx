/**
 * The links under a keyset-paged list: back to the first page, and the next page (rel="next"). Pages
 * are links, so they work without JavaScript; `hx` makes them swap the list section in place (and
 * push the URL) for lists whose section is its own fragment.
 */
type FirstLink = { first?: null; firstLabel?: undefined } | { first: string | null; firstLabel: string };

export function Pager(p: FirstLink & { next?: string | null; nextLabel: string; hx?: { target: string } }) {
  const link = (href: string, label: string, rel?: string) =>
    p.hx ? (
      <a href={href} rel={rel} data-hx-get={href} data-hx-target={p.hx.target} data-hx-swap="outerHTML" data-hx-push-url="true">
        {label}
      </a>
    ) : (
      <a href={href} rel={rel}>
        {label}
      </a>
    );
  return (
    <p class="pager">
      {p.first && link(p.first, p.firstLabel)}
      {p.next && link(p.next, p.nextLabel, 'next')}
    </p>
  );
}
