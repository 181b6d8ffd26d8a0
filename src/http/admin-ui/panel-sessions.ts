/** The sessions tab: one card per WhatsApp number (state, pairing, activity) and the form to add one. */
export const SESSIONS_HTML = `<section id="panel-sessions" class="tab-panel" data-panel="sessions" role="tabpanel" aria-labelledby="tab-sessions">
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
`;

/** Kept free of backticks and dollar-brace so it can live in this String.raw literal. */
export const SESSIONS_SCRIPT = String.raw`
  var cards = new Map();

  panels.sessions = {
    render: render,
    reset: function () {
      cards.forEach(function (c) { dropQr(c); });
      cards.clear();
      $('sessions').textContent = '';
    },
    init: function () { $('add-form').addEventListener('submit', addSession); },
  };

  function render(data) {
    var list = (data && data.sessions) || [];
    var seen = new Set();
    var container = $('sessions');
    list.forEach(function (s, i) {
      seen.add(s.id);
      var card = cards.get(s.id) || makeCard(s);
      if (container.children[i] !== card.root) container.insertBefore(card.root, container.children[i] || null);
      update(card, s);
    });
    cards.forEach(function (card, id) {
      if (seen.has(id)) return;
      dropQr(card);
      card.root.remove();
      cards.delete(id);
    });
    $('empty').hidden = list.length > 0;
  }

  function makeCard(s) {
    var c = { id: s.id, busy: false, qrKey: null, qrUrl: null, qrSeq: 0, status: s };
    c.badge = h('span', { className: 'badge', 'data-role': 'state' });
    c.me = h('dd', { 'data-role': 'me' });
    c.reason = h('dd', { 'data-role': 'reason' });
    c.inbox = h('dd', { 'data-role': 'inbox' });
    c.owner = h('dd', { 'data-role': 'owner' });
    c.relayed = h('dd', { 'data-role': 'relayed' });
    c.dead = h('dd', { 'data-role': 'dead-letters' });
    c.source = h('span', { className: 'source', 'data-role': 'source' });
    c.since = h('dd', { 'data-role': 'since' });
    c.qr = h('img', { className: 'qr', 'data-role': 'qr', alt: 'QR code for session ' + s.id });
    c.code = h('div', { className: 'code', 'data-role': 'code' });
    c.how = h('div', { className: 'hint', 'data-role': 'how' });
    c.meta = h('div', { className: 'pairing-meta', 'data-role': 'pairing-meta' });
    c.pairing = h('div', { className: 'pairing', 'data-role': 'pairing' }, [c.qr, c.code, c.how, c.meta]);
    c.pairBtn = h('button', { type: 'button', className: 'primary', 'data-action': 'pair', text: 'Pair with QR code' });
    c.logoutBtn = h('button', { type: 'button', className: 'danger', 'data-action': 'logout', text: 'Log out' });
    c.changeBtn = h('button', { type: 'button', 'data-action': 'change', text: 'Change settings' });
    c.removeBtn = h('button', { type: 'button', className: 'danger', 'data-action': 'remove', text: 'Remove' });
    c.phone = h('input', { type: 'tel', inputmode: 'tel', placeholder: '+351912345678', 'aria-label': 'Phone number of session ' + s.id, 'data-role': 'phone', autocomplete: 'off' });
    c.phoneBtn = h('button', { type: 'button', 'data-action': 'pair-phone', text: 'Pair with phone number' });
    c.phoneRow = h('div', { className: 'phone-row' }, [c.phone, c.phoneBtn]);
    c.error = h('p', { className: 'error', role: 'alert', 'data-role': 'error' });
    c.root = h('article', { className: 'card', 'data-session': s.id }, [
      h('div', { className: 'card-head' }, [h('h2', { text: s.id }, [h('span', { className: 'engine', text: s.engine }), c.source]), c.badge]),
      h('dl', { className: 'facts' }, [
        h('dt', { text: 'Number' }), c.me, h('dt', { text: 'Since' }), c.since, h('dt', { text: 'Detail' }), c.reason,
        h('dt', { text: 'Inbox' }), c.inbox, h('dt', { text: 'Runs on' }), c.owner,
        h('dt', { text: 'Last hour' }), c.relayed, h('dt', { text: 'Dead letters' }), c.dead,
      ]),
      c.pairing,
      h('div', { className: 'actions' }, [c.pairBtn, c.logoutBtn, c.changeBtn, c.removeBtn]),
      c.phoneRow,
      c.error,
    ]);
    c.pairBtn.addEventListener('click', function () { act(c, 'POST', '/login', {}); });
    c.phoneBtn.addEventListener('click', function () {
      // People type numbers with spaces, dashes and brackets; the API wants digits with an optional +.
      var phone = c.phone.value.replace(/[\s().-]/g, '');
      if (!phone) return showError(c, 'Type the phone number of the WhatsApp account, in international form (+351...).');
      act(c, 'POST', '/login', { phone: phone });
    });
    c.phone.addEventListener('keydown', function (e) { if (e.key === 'Enter') c.phoneBtn.click(); });
    c.logoutBtn.addEventListener('click', function () {
      if (!window.confirm('Log out session "' + c.id + '"? The phone is unpaired and the session data deleted; pairing again needs the phone.')) return;
      act(c, 'DELETE', '', undefined);
    });
    c.changeBtn.addEventListener('click', function () {
      var text = window.prompt('Settings to change for "' + c.id + '", as JSON (null goes back to the default), e.g. {"groups": "ignore"}. The session restarts with its saved login.');
      if (!text) return;
      var patch;
      try { patch = JSON.parse(text); } catch (e) { return showError(c, 'That is not JSON: ' + e.message); }
      act(c, 'PATCH', '', patch, function (r) { return r.session; });
    });
    c.removeBtn.addEventListener('click', function () {
      if (!window.confirm('Remove session "' + c.id + '"? Its number is logged out, its data deleted and the session forgotten.')) return;
      act(c, 'POST', '/remove', {}, function () { return null; });
    });
    cards.set(s.id, c);
    return c;
  }

  function addSession(event) {
    event.preventDefault();
    var err = $('add-error');
    var id = $('add-id').value.trim();
    if (!id) { err.textContent = 'Type an id for the session (lowercase letters, digits, - or _).'; err.hidden = false; return; }
    var session = { id: id, engine: $('add-engine').value };
    var inbox = $('add-inbox').value.trim();
    var create = $('add-create-inbox').checked;
    if (inbox && !create) session.inboxId = Number(inbox);
    var proxy = $('add-proxy').value.trim();
    if (proxy) session.proxy = { url: proxy };
    $('add-submit').disabled = true;
    api('POST', '/sessions', create ? { session: session, createInbox: true } : { session: session }).then(function () {
      err.hidden = true;
      $('add-form').reset();
      $('add').open = false;
      poll();
    }, function (e) {
      if (e.status === 401) return showLogin('The admin token is no longer accepted: sign in again.');
      err.textContent = 'Cannot add the number: ' + e.message;
      err.hidden = false;
    }).then(function () { $('add-submit').disabled = false; });
  }

  // pick: what of the answer is the session's new status (null: the session is gone, the poll drops its card).
  function act(c, method, suffix, body, pick) {
    c.busy = true;
    showError(c, '');
    update(c, c.status);
    api(method, '/sessions/' + encodeURIComponent(c.id) + suffix, body).then(function (r) {
      c.busy = false;
      var s = pick ? pick(r) : r;
      if (s) update(c, Object.assign({}, c.status, s));
      else poll();
    }, function (e) {
      c.busy = false;
      if (e.status === 401) return showLogin('The admin token is no longer accepted: sign in again.');
      showError(c, e.message);
      update(c, c.status);
    });
  }

  function showError(c, message) {
    c.error.textContent = message;
    c.error.hidden = !message;
  }

  function update(c, s) {
    c.status = s;
    c.badge.textContent = s.state.replace(/_/g, ' ');
    c.badge.className = 'badge ' + s.state;
    c.badge.setAttribute('data-state', s.state);
    c.root.setAttribute('data-state', s.state);
    c.me.textContent = s.me || '-';
    c.since.textContent = formatSince(s.since);
    var detail = s.reason || '';
    if (s.reconnectAttempts) detail += (detail ? '; ' : '') + 'reconnect attempt ' + s.reconnectAttempts;
    c.reason.textContent = detail || '-';
    if (s.source) c.source.textContent = s.source === 'runtime' ? 'added here' : 'from the config file';
    if ('inboxId' in s) c.inbox.textContent = s.inboxId ? String(s.inboxId) : '-';
    if (s.owner === 'this' && s.ownerId) thisDaemonId = s.ownerId;
    c.owner.textContent = s.owner === 'this' ? 'this daemon' + (s.ownerId ? ' (' + s.ownerId + ')' : '') : s.ownerId ? 'daemon ' + s.ownerId : 'no daemon yet';
    if (s.relayedLastHour) c.relayed.textContent = s.relayedLastHour.inbound + ' in, ' + s.relayedLastHour.outbound + ' out';
    else if (!c.relayed.textContent) c.relayed.textContent = '-';
    if (typeof s.deadLetters === 'number') c.dead.textContent = s.deadLetters ? s.deadLetters + ' waiting (see Dead letters)' : 'none';
    else if (!c.dead.textContent) c.dead.textContent = '-';
    c.changeBtn.hidden = s.source !== 'runtime';
    c.removeBtn.hidden = s.source !== 'runtime';
    c.pairBtn.disabled = c.busy || s.state === 'CONNECTED';
    c.phoneBtn.disabled = c.busy || s.state === 'CONNECTED';
    c.logoutBtn.disabled = c.busy || s.state === 'LOGGED_OUT';
    c.phoneRow.hidden = s.state === 'CONNECTED';
    updatePairing(c, s.state === 'QR_REQUIRED' ? s.pairing : null);
  }

  function updatePairing(c, p) {
    if (!p || (!p.qr && !p.pairingCode)) {
      c.pairing.hidden = true;
      dropQr(c);
      return;
    }
    c.pairing.hidden = false;
    var left = secondsLeft(p.expiresAt);
    var expiry = left === null ? '' : left > 0 ? ' - expires in ' + left + ' s' : ' - expired, a new one is coming';
    if (p.pairingCode) {
      dropQr(c);
      c.qr.hidden = true;
      c.code.hidden = false;
      c.code.textContent = formatCode(p.pairingCode);
      c.how.textContent = 'On the phone: WhatsApp > Linked devices > Link a device > Link with phone number instead, then type this code.';
      c.meta.textContent = 'Code ' + p.attempt + expiry;
      return;
    }
    c.code.hidden = true;
    c.qr.hidden = false;
    c.how.textContent = 'On the phone: WhatsApp > Linked devices > Link a device, then scan this code.';
    c.meta.textContent = 'QR ' + p.attempt + expiry;
    c.meta.setAttribute('data-attempt', String(p.attempt));
    if (c.qrKey !== p.qr) loadQr(c, p.qr);
  }

  // The QR image needs the token, which an <img src> cannot send: fetch it and show it as a blob: URL.
  function loadQr(c, key) {
    c.qrKey = key;
    var seq = ++c.qrSeq;
    api('GET', '/sessions/' + encodeURIComponent(c.id) + '/qr.svg', undefined, true).then(function (res) {
      var attempt = res.headers.get('X-Pairing-Attempt');
      return res.blob().then(function (blob) {
        if (seq !== c.qrSeq) return;
        if (c.qrUrl) URL.revokeObjectURL(c.qrUrl);
        c.qrUrl = URL.createObjectURL(blob);
        c.qr.src = c.qrUrl;
        c.qr.setAttribute('data-attempt', attempt || '');
        c.qr.alt = 'QR code ' + (attempt || '') + ' for session ' + c.id;
      });
    }, function (e) {
      if (seq !== c.qrSeq) return;
      // Rotated or paired meanwhile (404): the next poll brings the new state.
      c.qrKey = null;
      if (e.status !== 404) showError(c, 'Cannot load the QR code: ' + e.message);
    });
  }

  function dropQr(c) {
    c.qrSeq++;
    c.qrKey = null;
    if (c.qrUrl) URL.revokeObjectURL(c.qrUrl);
    c.qrUrl = null;
    c.qr.removeAttribute('src');
    c.qr.removeAttribute('data-attempt');
  }
`;
