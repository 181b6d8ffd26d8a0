/**
 * The registrations tab: the newest driver registrations with their state (`GET /admin/registrations`),
 * one shown whole like `ponte registrations show` (`GET /admin/registrations/:id`), and a failed or
 * refused one sent again (`POST /admin/registrations/:id/retry`).
 */
export const REGISTRATIONS_HTML = `<section id="panel-registrations" class="tab-panel" data-panel="registrations" role="tabpanel" aria-labelledby="tab-registrations" hidden>
      <div class="panel">
        <div class="panel-head">
          <div>
            <h2>Registrations</h2>
            <p class="hint">Driver registrations, newest first. One that failed (the backend unreachable for <code>retryHours</code>) or was refused can be sent again once the cause is fixed; a delivered one is never sent twice.</p>
          </div>
          <div class="filters">
            <label for="reg-status">Status</label>
            <select id="reg-status">
              <option value="">all</option><option value="fixing">fixing</option><option value="queued">queued</option>
              <option value="delivered">delivered</option><option value="rejected">rejected</option><option value="failed">failed</option>
            </select>
          </div>
        </div>
        <p id="reg-status-line" class="status" role="status" hidden></p>
        <p id="reg-error" class="error" role="alert" hidden></p>
        <p id="reg-empty" class="hint" hidden>No registrations.</p>
        <div id="reg-list" class="table-wrap"></div>
      </div>
      <div id="reg-details" class="panel details" hidden></div>
    </section>
`;

/** Kept free of backticks and dollar-brace so it can live in this String.raw literal. */
export const REGISTRATIONS_SCRIPT = String.raw`
  var shown = null;
  // The registration shown whole, and the updatedAt it was fetched at (fetched again when it changes).
  var open = null;
  var openAt = null;

  panels.registrations = {
    refresh: load,
    fail: failed('reg-error'),
    reset: function () {
      shown = null;
      close();
      $('reg-list').textContent = '';
      say('reg-status-line', '');
      say('reg-error', '');
    },
    init: function () {
      $('reg-status').addEventListener('change', function () { shown = null; refreshPanel('registrations'); });
    },
  };

  function load() {
    var status = $('reg-status').value;
    return api('GET', '/registrations?limit=100' + (status ? '&status=' + encodeURIComponent(status) : '')).then(function (r) {
      say('reg-error', '');
      show(r.registrations || []);
    });
  }

  function show(list) {
    var key = JSON.stringify(list);
    if (key === shown) return;
    shown = key;
    $('reg-empty').hidden = list.length > 0;
    var el = $('reg-list');
    el.textContent = '';
    if (list.length) el.appendChild(table(['Created', 'Status', 'Session', 'Phone', 'Driver id', 'Files', 'Error', ''], list.map(row)));
    list.forEach(function (r) { if (r.id === open && r.updatedAt !== openAt) details(r.id); });
  }

  function row(r) {
    var showBtn = button('Show', 'show', 'small');
    var retry = button('Retry', 'retry', 'small primary');
    retry.hidden = r.status !== 'failed' && r.status !== 'rejected';
    showBtn.addEventListener('click', function () { details(r.id); });
    retry.addEventListener('click', function () {
      if (!window.confirm('Send registration ' + r.id + ' to the backend again?')) return;
      retry.disabled = true;
      say('reg-error', '');
      api('POST', '/registrations/' + encodeURIComponent(r.id) + '/retry', {}).then(function () {
        say('reg-status-line', 'Registration ' + r.id + ' is queued again: it goes to the backend now.');
        refreshPanel('registrations');
      }, function (err) {
        retry.disabled = false;
        failed('reg-error')(err);
      });
    });
    return h('tr', { 'data-registration': r.id, 'data-status': r.status }, [
      h('td', { className: 'when', text: formatSince(r.createdAt) }),
      h('td', {}, [h('span', { className: 'badge ' + r.status, 'data-role': 'status', text: r.status })]),
      h('td', { text: r.session }),
      h('td', { className: 'nowrap', text: r.phone || '-' }),
      h('td', { 'data-role': 'driver', text: r.driverId || '-' }),
      h('td', { className: 'num', text: String(r.files) }),
      h('td', { className: 'reason', 'data-role': 'error', text: r.error || '' }),
      h('td', {}, [h('div', { className: 'row-actions' }, [showBtn, retry])]),
    ]);
  }

  function close() {
    open = null;
    openAt = null;
    $('reg-details').hidden = true;
    $('reg-details').textContent = '';
  }

  function details(id) {
    open = id;
    api('GET', '/registrations/' + encodeURIComponent(id)).then(function (rec) {
      if (open !== id) return;
      openAt = new Date(rec.updatedAt).toISOString();
      render(rec);
    }, failed('reg-error'));
  }

  // A data URL or a long run of base64 is file content: it has no place on the page (nor does the CLI print it).
  function fieldValue(v) {
    var s = typeof v === 'string' ? v : JSON.stringify(v);
    return /^data:[^,]*;base64,/i.test(s) || (s.length >= 200 && /^[A-Za-z0-9+\/=\r\n]+$/.test(s)) ? '(file content left out, ' + s.length + ' characters)' : s;
  }

  function facts(pairs) {
    var items = [];
    pairs.forEach(function (p) {
      if (p[1] === undefined || p[1] === null || p[1] === '') return;
      items.push(h('dt', { text: p[0] }), h('dd', { text: String(p[1]) }));
    });
    return h('dl', { className: 'facts' }, items);
  }

  function at(ms) { return ms === undefined ? undefined : new Date(ms).toLocaleString(); }

  function render(rec) {
    var box = $('reg-details');
    var closeBtn = button('Close', 'close', 'small');
    closeBtn.addEventListener('click', close);
    var last = rec.decisions && rec.decisions.length ? rec.decisions[rec.decisions.length - 1] : null;
    var parts = [
      h('div', { className: 'panel-head' }, [h('h2', { text: 'Registration ' + rec.id }), closeBtn]),
      facts([
        ['Status', rec.status], ['Source', rec.source], ['Session', rec.session], ['Phone', rec.phone],
        ['Chat', rec.target ? chatLabel(rec.target.chatKey) + ' (inbox ' + rec.target.inboxId + ')' : undefined],
        ['Conversation', rec.conversationId], ['Typebot result', rec.resultId], ['Driver id', rec.driverId],
        ['Error', rec.error], ['Created', at(rec.createdAt)], ['Updated', at(rec.updatedAt)],
        ['Submitted', rec.submittedAt ? new Date(rec.submittedAt).toLocaleString() : undefined], ['Delivered', at(rec.deliveredAt)],
        ['Delivery', rec.round > 1 ? rec.round + ' (corrected: ' + (rec.changes || []).join(', ') + ')' : undefined],
        ['Decision', last ? last.decision : undefined],
      ]),
    ];
    var fields = Object.keys(rec.fields || {});
    parts.push(h('h3', { text: fields.length ? 'Answers' : 'Answers: none' }));
    if (fields.length) parts.push(h('div', { 'data-role': 'fields' }, [facts(fields.map(function (k) { return [k, fieldValue(rec.fields[k])]; }))]));
    var files = rec.files || [];
    parts.push(h('h3', { text: files.length ? 'Files' : 'Files: none' }));
    if (files.length) {
      parts.push(h('div', { className: 'table-wrap' }, [table(['Field', 'Name', 'Type', 'Size'], files.map(function (f) {
        return h('tr', {}, [h('td', { text: f.field }), h('td', { text: f.filename }), h('td', { text: f.mimetype }), h('td', { className: 'num', text: size(f.size) })]);
      }))]));
    }
    if (rec.problems && rec.problems.length) {
      parts.push(h('h3', { text: 'Problems' }));
      parts.push(h('ul', {}, rec.problems.map(function (p) { return h('li', { text: p.field + ' (' + p.code + '): ' + p.message.en }); })));
    }
    if (rec.fixing && rec.fixing.length) parts.push(h('p', { className: 'hint', text: 'Waiting for the driver to send again: ' + rec.fixing.join(', ') }));
    if (rec.decisions && rec.decisions.length) {
      parts.push(h('h3', { text: "The backend's decisions" }));
      parts.push(h('ul', {}, rec.decisions.map(function (d) {
        var what = d.decision === 'needs_changes' ? 'needs_changes (' + (d.fields || []).join(', ') + ')' : d.decision;
        var state = d.passedOnAt ? 'passed on' : d.told ? 'driver told, agents not yet' : 'not yet passed on';
        return h('li', { text: 'Delivery ' + d.round + ': ' + what + ', ' + state + (d.message ? '. Message: ' + d.message : '') });
      })));
    }
    box.textContent = '';
    parts.forEach(function (p) { box.appendChild(p); });
    box.setAttribute('data-registration', rec.id);
    box.hidden = false;
  }

  function size(n) {
    if (typeof n !== 'number' || n < 0) return '?';
    if (n < 1024) return n + ' B';
    if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
    return (n / 1024 / 1024).toFixed(1) + ' MB';
  }
`;
