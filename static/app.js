// Progressive enhancement only: every page works without this file.
// Sends the page's CSRF token (a <meta name="csrf-token">, once sessions exist) with htmx requests.
document.addEventListener('htmx:config:request', (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const ctx = event.detail && event.detail.ctx;
  if (meta && ctx && ctx.request && ctx.request.headers) ctx.request.headers['X-CSRF-Token'] = meta.content;
});
