/** The one-time message after an action ("The partner of record has been saved."), read out by screen readers. */
export function Notice({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <p class="flash" role="status">
      {message}
    </p>
  );
}
