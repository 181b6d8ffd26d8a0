/**
 * The shell of the admin page. Asset paths are relative ("ui/app.js" from /admin/ui) so the page also
 * works behind a reverse proxy that serves Ponte under a path prefix. No inline script or style: the
 * Content-Security-Policy allows only files from the daemon itself.
 */
export const ADMIN_UI_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Ponte admin</title>
<link rel="stylesheet" href="ui/app.css">
<script src="ui/app.js" defer></script>
</head>
<body>
<header class="top">
  <h1>Ponte <span class="sub">WhatsApp sessions</span></h1>
  <div class="top-right">
    <span id="live" class="live" hidden>live</span>
    <button id="signout" type="button" class="link" hidden>Sign out</button>
  </div>
</header>
<main>
  <noscript><p class="banner error">This page needs JavaScript.</p></noscript>
  <p id="banner" class="banner error" role="alert" hidden></p>
  <section id="login" class="login" hidden>
    <form id="login-form" class="panel" autocomplete="off" novalidate>
      <h2>Sign in</h2>
      <p class="hint">The admin token is <code>http.adminToken</code> in the daemon's configuration (or the <code>PONTE_HTTP__ADMINTOKEN</code> variable). It is kept in this tab only.</p>
      <label for="token">Admin token</label>
      <input id="token" type="password" autocomplete="off" spellcheck="false" required>
      <button id="signin" type="submit" class="primary">Sign in</button>
      <p id="login-error" class="error" role="alert" hidden></p>
    </form>
  </section>
  <section id="dashboard" hidden>
    <details id="add" class="panel add-panel">
      <summary>Add a number</summary>
      <form id="add-form" autocomplete="off" novalidate>
        <p class="hint">The new session is kept in the daemon's Redis and starts at once; sessions of the configuration file stay as they are.</p>
        <div class="add-grid">
          <label for="add-id">Session id</label>
          <input id="add-id" placeholder="sales" spellcheck="false" required>
          <label for="add-engine">Engine</label>
          <select id="add-engine"><option value="wppconnect">wppconnect</option><option value="wwebjs">whatsapp-web.js</option><option value="simulator">simulator</option></select>
          <label for="add-inbox">Chatwoot inbox id</label>
          <input id="add-inbox" type="number" min="1" placeholder="3">
          <span></span>
          <label class="check"><input id="add-create-inbox" type="checkbox"> create its Chatwoot inbox instead</label>
          <label for="add-proxy">Proxy (optional)</label>
          <input id="add-proxy" placeholder="http://proxy.example.com:3128" spellcheck="false">
        </div>
        <button id="add-submit" type="submit" class="primary">Add the number</button>
        <p id="add-error" class="error" role="alert" hidden></p>
      </form>
    </details>
    <p id="empty" class="hint" hidden>No sessions yet: add a number above, or under <code>sessions</code> in the configuration.</p>
    <div id="sessions" class="cards" aria-live="polite"></div>
  </section>
</main>
</body>
</html>
`;
