/**
 * The daemons tab: the daemons sharing this Redis (`GET /admin/fleet`), what each runs, its room and the
 * storage of its logins. A daemon on its embedded Redis runs alone and says so.
 */
export const DAEMONS_HTML = `<section id="panel-daemons" class="tab-panel" data-panel="daemons" role="tabpanel" aria-labelledby="tab-daemons" hidden>
      <div class="panel">
        <div class="panel-head">
          <div>
            <h2>Daemons</h2>
            <p class="hint">The daemons sharing this Redis and the sessions each runs. Daemons with the same storage see the same logins: a paired session moves only between them (<code>ponte sessions move</code>).</p>
          </div>
        </div>
        <p id="daemons-error" class="error" role="alert" hidden></p>
        <p id="daemons-alone" class="hint" hidden>This daemon runs alone on its embedded Redis: there is no fleet.</p>
        <div id="daemons-list" class="table-wrap"></div>
      </div>
    </section>
`;

/** Kept free of backticks and dollar-brace so it can live in this String.raw literal. */
export const DAEMONS_SCRIPT = String.raw`
  var shown = null;

  panels.daemons = {
    refresh: load,
    fail: failed('daemons-error'),
    reset: function () {
      shown = null;
      $('daemons-list').textContent = '';
      say('daemons-error', '');
    },
  };

  function load() {
    return api('GET', '/fleet').then(function (r) {
      say('daemons-error', '');
      var key = JSON.stringify([r, thisDaemonId]);
      if (key === shown) return;
      shown = key;
      $('daemons-alone').hidden = r.shared;
      var list = $('daemons-list');
      list.textContent = '';
      var daemons = r.daemons || [];
      if (daemons.length) list.appendChild(table(['Daemon', 'Runs', 'Room', 'Logins storage', 'Address', 'Started'], daemons.map(row)));
    });
  }

  function row(d) {
    var sessions = (d.sessions || []).slice().sort();
    var room = d.maxSessions ? sessions.length + ' of ' + d.maxSessions : sessions.length + ', no limit';
    return h('tr', { 'data-daemon': d.id }, [
      h('td', {}, [h('span', { text: d.id }), d.id === thisDaemonId ? h('span', { className: 'source', text: 'this daemon' }) : null]),
      h('td', { 'data-role': 'sessions', text: sessions.length ? sessions.join(', ') : '-' }),
      h('td', { 'data-role': 'room', text: room }),
      h('td', { text: d.storage }),
      h('td', { text: d.url || '-' }),
      h('td', { className: 'when', text: formatSince(d.startedAt) }),
    ]);
  }
`;
