import { BOTS_SCRIPT } from './panel-bots';
import { DAEMONS_SCRIPT } from './panel-daemons';
import { DEAD_LETTERS_SCRIPT } from './panel-dead-letters';
import { JOURNEYS_SCRIPT } from './panel-journeys';
import { REGISTRATIONS_SCRIPT } from './panel-registrations';
import { SESSIONS_SCRIPT } from './panel-sessions';
import { SCRIPT_CORE } from './script-core';

/** Sign-in, the panels' set-up, and a token kept from before a reload. */
const SCRIPT_START = String.raw`
  document.addEventListener('DOMContentLoaded', function () {
    $('login-form').addEventListener('submit', signIn);
    $('signout').addEventListener('click', function () { showLogin(''); });
    Object.keys(panels).forEach(function (name) { if (panels[name].init) panels[name].init(); });
    initTabs();
    token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) return showLogin('');
    api('GET', '/sessions').then(showDashboard, function (e) {
      if (e.status === 401) return showLogin('The saved admin token is no longer accepted: sign in again.');
      // The daemon may be restarting: keep the token and let the poll report and recover.
      showDashboard(null);
      showBanner('Cannot refresh: ' + e.message + '. Retrying every second.');
    });
  });
`;

/** Each panel in a scope of its own (its helpers may share names with another's); the core is seen by all. */
const panel = (script: string) => `  (function () {${script}  })();\n`;

/**
 * The admin page's script (served as /admin/ui/app.js). Plain ES2020, no framework, no external asset:
 * the core (script-core.ts), one part per tab (panel-*.ts), then the start.
 */
export const ADMIN_UI_JS = [
  "(function () {\n  'use strict';",
  SCRIPT_CORE,
  panel(SESSIONS_SCRIPT),
  panel(JOURNEYS_SCRIPT),
  panel(DEAD_LETTERS_SCRIPT),
  panel(BOTS_SCRIPT),
  panel(REGISTRATIONS_SCRIPT),
  panel(DAEMONS_SCRIPT),
  SCRIPT_START,
  '})();\n',
].join('\n');
