import { createHash } from 'node:crypto';

/**
 * The browser side of a Copy button (src/ui/copy-button.tsx): served as a same-origin file under the CSP's
 * `script-src 'self'`, as the passkey script is. Where the Clipboard API exists it marks the page
 * (html.can-copy; the stylesheet shows the buttons only then, so without JavaScript the field alone
 * stays), and copies the text of the element a button names, announcing the result in the page's live
 * region. One listener on the document: buttons swapped in by htmx work too; loading it twice is harmless.
 */
export const COPY_SCRIPT = `(() => {
  if (window.pdCopy || !navigator.clipboard) return;
  window.pdCopy = true;
  document.documentElement.classList.add('can-copy');
  document.addEventListener('click', async (event) => {
    const button = event.target instanceof Element && event.target.closest('button[data-copy]');
    if (!button) return;
    const source = document.getElementById(button.dataset.copy);
    const live = document.getElementById('live');
    let said;
    try {
      await navigator.clipboard.writeText(source ? source.textContent.trim() : '');
      said = button.dataset.copied;
    } catch {
      said = button.dataset.failed;
    }
    if (!live) return;
    live.textContent = '';
    setTimeout(() => { live.textContent = said; }, 50);
  });
})();
`;

export const COPY_SCRIPT_VERSION = createHash('sha256').update(COPY_SCRIPT).digest('hex').slice(0, 12);
export const COPY_SCRIPT_URL = `/portal/links/copy.js?v=${COPY_SCRIPT_VERSION}`;
