import { BOTS_HTML } from './panel-bots';
import { DAEMONS_HTML } from './panel-daemons';
import { DEAD_LETTERS_HTML } from './panel-dead-letters';
import { JOURNEYS_HTML } from './panel-journeys';
import { REGISTRATIONS_HTML } from './panel-registrations';
import { SESSIONS_HTML } from './panel-sessions';

/** The tabs, in order: [name, label]. The name is the panel's id suffix and the address's #hash. */
const TABS: Array<[string, string]> = [
  ['sessions', 'Sessions'],
  ['journeys', 'Journeys'],
  ['dead-letters', 'Dead letters'],
  ['bots', 'Bots'],
  ['registrations', 'Registrations'],
  ['daemons', 'Daemons'],
];

const tabList = TABS.map(
  ([name, label], i) =>
    `<button id="tab-${name}" type="button" role="tab" data-tab="${name}" aria-controls="panel-${name}" aria-selected="${i === 0}">${label}</button>`,
).join('\n      ');

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
  <h1>Ponte <span class="sub">WhatsApp ↔ Chatwoot</span></h1>
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
    <nav class="tabs" role="tablist" aria-label="Areas">
      ${tabList}
    </nav>
    ${SESSIONS_HTML}    ${JOURNEYS_HTML}    ${DEAD_LETTERS_HTML}    ${BOTS_HTML}    ${REGISTRATIONS_HTML}    ${DAEMONS_HTML}  </section>
</main>
</body>
</html>
`;
