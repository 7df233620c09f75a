export function ErrorPage({ title, body }: { title: string; body: string }) {
  return (
    <section class="error-page">
      <h1>{title}</h1>
      <p>{body}</p>
      <p>
        <a href="/">partnerdesk</a>
      </p>
    </section>
  );
}
