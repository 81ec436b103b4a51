import { html, raw, type Html } from './html.js';

/**
 * The only page readable without a session. It is self-contained (its stylesheet inline, allowed by a
 * CSP hash) because every other URL, the assets included, needs a login.
 */
export function loginView(opts: { css: string; csrf: string; next: string; error?: string; configured: boolean }): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in · bcbridge</title>
<style>${raw(opts.css)}</style>
</head>
<body>
<div class="login">
  <h1>bcbridge</h1>
  <div class="muted">Control panel</div>
  ${opts.error ? html`<div class="message error" role="alert">${opts.error}</div>` : ''}
  ${
    opts.configured
      ? html`<form method="post" action="/login">
    <input type="hidden" name="_csrf" value="${opts.csrf}">
    <input type="hidden" name="next" value="${opts.next}">
    <label>Password or API token<input type="password" name="secret" autocomplete="current-password" autofocus required></label>
    <button type="submit" class="primary">Log in</button>
  </form>`
      : html`<div class="callout bad">No panel password is configured, so nobody can log in.<br>
    Run <code>bcbridge panel hash-password</code> and put the result in <code>panel.hashedPassword</code> of the
    config (or set <code>panel.password: \${PANEL_PASSWORD}</code>), then restart bcbridge.</div>`
  }
</div>
</body>
</html>`;
}
