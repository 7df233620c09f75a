/** CSV for spreadsheets: RFC 4180 quoting, formula injection defused, streamed in keyset batches. */

/** A cell that a spreadsheet would run as a formula gets a leading quote, then the usual CSV quoting. */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Every date in every export is ISO 8601 in UTC ("2026-12-06T23:55:10.361Z"), whatever the driver
 * returned (a Date, or PostgreSQL's text form "2026-06-24 23:55:09.537+00"); no date is ''.
 */
export function isoUtc(value: Date | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  if (value instanceof Date) return value.toISOString();
  const d = new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

/** A date column's header: the column's name in the reader's language, saying the times are UTC. */
export const utcHeader = (label: string) => `${label} (UTC)`;

export const csvLine = (cells: unknown[]) => cells.map(csvCell).join(',') + '\r\n';

/**
 * A streamed CSV download of any size: fetches one batch at a time (each a keyset query), writes it,
 * and asks for the next from the last row, so memory stays flat.
 */
export function csvResponse<R>(
  filename: string,
  header: string[],
  batch: (after: R | null) => Promise<R[]>,
  line: (row: R) => unknown[],
  batchSize: number,
): Response {
  const encoder = new TextEncoder();
  let after: R | null = null;
  let started = false;
  let done = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        // A byte-order mark so spreadsheets read UTF-8 (Polish and Chinese names) correctly.
        controller.enqueue(encoder.encode('\uFEFF' + csvLine(header)));
        return;
      }
      if (done) return controller.close();
      try {
        const found = await batch(after);
        if (found.length > 0) controller.enqueue(encoder.encode(found.map((r) => csvLine(line(r))).join('')));
        if (found.length < batchSize) done = true;
        else after = found[found.length - 1];
      } catch (e) {
        controller.error(e);
      }
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
    },
  });
}
