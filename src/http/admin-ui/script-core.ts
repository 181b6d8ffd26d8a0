/**
 * What every panel of the admin page's script shares: the API call with the token, the clock, small
 * formatters, the sign-in, the poll and the tabs. The panels (panel-*.ts) register themselves in `panels`.
 *
 * Live state comes from polling the JSON admin API with fetch rather than from Server-Sent Events:
 * EventSource cannot send an Authorization header, so SSE would need the token in the URL (where proxies
 * and access logs keep it) or a cookie (and then CSRF protection). The sessions are polled every second
 * (a poll that fails tells the operator the daemon is gone); the open tab's list every few seconds, since
 * listing bots walks Redis keys.
 *
 * The token lives in sessionStorage (this tab only, gone when it closes) and travels only in the
 * Authorization header. Everything from the daemon is shown through textContent, never as HTML.
 * Kept free of backticks and dollar-brace so it can live in this String.raw literal.
 */
export const SCRIPT_CORE = String.raw`
  var ADMIN = location.pathname.replace(/\/ui\/?$/, '');
  var TOKEN_KEY = 'ponte.adminToken';
  var POLL_MS = 1000;
  var PANEL_REFRESH_MS = 3000;
  var token = null;
  var skewMs = 0;
  var pollTimer = null;
  var polling = false;
  var activeTab = 'sessions';
  // This daemon's name in a fleet (lease.daemonId), learnt from the sessions it runs.
  var thisDaemonId = null;
  // name -> { render(sessionsAnswer)?, refresh()?: Promise, reset()?, refreshedAt, loading }
  var panels = {};

  function $(id) { return document.getElementById(id); }

  function h(tag, props, children) {
    var el = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      if (k === 'text') el.textContent = props[k];
      else if (k === 'className') el.className = props[k];
      else el.setAttribute(k, props[k]);
    });
    (children || []).forEach(function (c) { if (c) el.appendChild(c); });
    return el;
  }

  function ApiError(status, message, code) {
    this.status = status;
    this.message = message;
    this.code = code;
  }

  function api(method, path, body, raw) {
    var init = { method: method, headers: { Authorization: 'Bearer ' + token }, cache: 'no-store', credentials: 'omit' };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(ADMIN + path, init).then(function (res) {
      noteClock(res);
      if (res.ok) return raw ? res : res.json();
      return res.json().then(
        function (b) { throw new ApiError(res.status, (b && b.error && b.error.message) || ('HTTP ' + res.status), b && b.error && b.error.code); },
        function () { throw new ApiError(res.status, 'the daemon answered HTTP ' + res.status); }
      );
    }, function (err) {
      throw new ApiError(0, 'the daemon does not answer (' + (err && err.message ? err.message : 'network error') + ')');
    });
  }

  // expiresAt is the daemon's clock; the Date header (1 s resolution) corrects a browser clock that is off.
  function noteClock(res) {
    var date = Date.parse(res.headers.get('Date') || '');
    if (isNaN(date)) return;
    var skew = date + 500 - Date.now();
    skewMs = Math.abs(skew) > 1500 ? skew : 0;
  }

  function secondsLeft(expiresAt) {
    if (!expiresAt) return null;
    return Math.max(0, Math.round((expiresAt - (Date.now() + skewMs)) / 1000));
  }

  function formatCode(code) {
    return code.length === 8 ? code.slice(0, 4) + '-' + code.slice(4) : code;
  }

  function formatSince(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return iso;
    var mins = Math.floor((Date.now() + skewMs - d.getTime()) / 60000);
    var at = d.toLocaleTimeString();
    if (mins < 1) return at;
    if (mins < 120) return at + ' (' + mins + ' min ago)';
    return d.toLocaleString();
  }

  // A WhatsApp chat key as people read it: +<digits> for a phone's chat, as is otherwise (groups, linked ids).
  function chatLabel(chatKey) {
    var m = /^(\d+)@c\.us$/.exec(chatKey || '');
    return m ? '+' + m[1] : chatKey;
  }

  function table(heads, rows) {
    return h('table', { className: 'list' }, [
      h('thead', {}, [h('tr', {}, heads.map(function (t) { return h('th', { scope: 'col', text: t }); }))]),
      h('tbody', {}, rows),
    ]);
  }

  function button(text, action, className) {
    return h('button', { type: 'button', className: className || '', 'data-action': action, text: text });
  }

  // A panel's own line under its title: what an action did (status) or why it failed (error).
  function say(id, message) {
    var el = $(id);
    el.textContent = message || '';
    el.hidden = !message;
  }

  // A failed call: a refused token signs out; anything else is said where the panel says things.
  function failed(errorId) {
    return function (e) {
      if (e.status === 401) return showLogin('The admin token is no longer accepted: sign in again.');
      say(errorId, e.code === 'not_configured' ? 'Not available: ' + e.message + '.' : e.message);
    };
  }

  // --- login -------------------------------------------------------------------------------------

  function showLogin(message) {
    stopPolling();
    token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    Object.keys(panels).forEach(function (name) {
      var p = panels[name];
      p.refreshedAt = 0;
      if (p.reset) p.reset();
    });
    $('dashboard').hidden = true;
    $('signout').hidden = true;
    $('live').hidden = true;
    $('banner').hidden = true;
    $('login').hidden = false;
    var err = $('login-error');
    err.textContent = message || '';
    err.hidden = !message;
    $('token').value = '';
    $('token').focus();
  }

  function signIn(event) {
    event.preventDefault();
    var value = $('token').value.trim();
    var err = $('login-error');
    if (!value) {
      err.textContent = 'Enter the admin token.';
      err.hidden = false;
      return;
    }
    token = value;
    $('signin').disabled = true;
    api('GET', '/sessions').then(function (data) {
      sessionStorage.setItem(TOKEN_KEY, value);
      $('token').value = '';
      showDashboard(data);
    }, function (e) {
      token = null;
      err.textContent = e.status === 401 ? 'That admin token is not valid.' : 'Cannot sign in: ' + e.message;
      err.hidden = false;
    }).then(function () { $('signin').disabled = false; });
  }

  function showDashboard(data) {
    $('login').hidden = true;
    $('dashboard').hidden = false;
    $('signout').hidden = false;
    $('live').hidden = false;
    if (data) panels.sessions.render(data);
    selectTab(tabFromHash());
    schedulePoll();
  }

  // --- polling -----------------------------------------------------------------------------------

  function schedulePoll() {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(poll, POLL_MS);
  }

  function stopPolling() {
    clearTimeout(pollTimer);
    pollTimer = null;
  }

  function poll() {
    if (!token || polling) return;
    polling = true;
    var open = panels[activeTab];
    if (open && open.refresh && Date.now() - (open.refreshedAt || 0) >= PANEL_REFRESH_MS) refreshPanel(activeTab);
    api('GET', '/sessions').then(function (data) {
      $('banner').hidden = true;
      $('live').classList.remove('stale');
      $('live').textContent = 'live';
      panels.sessions.render(data);
    }).catch(function (e) {
      // Also catches a bug in render(): it is shown, and the next poll still runs.
      if (e.status === 401) return showLogin('The admin token is no longer accepted: sign in again.');
      showBanner('Cannot refresh: ' + e.message + '. Retrying every second.');
    }).then(function () {
      polling = false;
      if (token) schedulePoll();
    });
  }

  // A panel's list fetched again now (its tab opened, an action done); one fetch at a time per panel.
  function refreshPanel(name) {
    var p = panels[name];
    if (!p || !p.refresh || !token) return;
    if (p.loading) { p.again = true; return; }
    p.loading = true;
    p.refreshedAt = Date.now();
    p.refresh().catch(function (e) {
      if (e.status === 401) return showLogin('The admin token is no longer accepted: sign in again.');
      if (p.fail) p.fail(e);
    }).then(function () {
      p.loading = false;
      if (p.again) { p.again = false; refreshPanel(name); }
    });
  }

  function showBanner(message) {
    $('banner').textContent = message;
    $('banner').hidden = false;
    $('live').classList.add('stale');
    $('live').textContent = 'offline';
  }

  // --- tabs --------------------------------------------------------------------------------------

  function tabFromHash() {
    var name = location.hash.replace(/^#/, '');
    return panels[name] && $('panel-' + name) ? name : 'sessions';
  }

  function selectTab(name) {
    activeTab = name;
    Array.prototype.forEach.call(document.querySelectorAll('[data-tab]'), function (tab) {
      var on = tab.getAttribute('data-tab') === name;
      tab.setAttribute('aria-selected', on ? 'true' : 'false');
      tab.tabIndex = on ? 0 : -1;
      $('panel-' + tab.getAttribute('data-tab')).hidden = !on;
    });
    // The sessions tab is the page itself: its address stays /admin/ui.
    var want = name === 'sessions' ? location.pathname + location.search : '#' + name;
    if ((name === 'sessions' ? '' : '#' + name) !== location.hash) history.replaceState(null, '', want);
    refreshPanel(name);
  }

  function initTabs() {
    var tabs = Array.prototype.slice.call(document.querySelectorAll('[data-tab]'));
    tabs.forEach(function (tab, i) {
      tab.addEventListener('click', function () { selectTab(tab.getAttribute('data-tab')); });
      // Arrow keys move between tabs, as in any tab list.
      tab.addEventListener('keydown', function (e) {
        var step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
        if (!step) return;
        var next = tabs[(i + step + tabs.length) % tabs.length];
        next.focus();
        selectTab(next.getAttribute('data-tab'));
      });
    });
    window.addEventListener('hashchange', function () { if (token) selectTab(tabFromHash()); });
  }
`;
