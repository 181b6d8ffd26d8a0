/**
 * The dead letters tab: what could not be relayed after its retries (any queue: inbound, outbound, bot,
 * registration), with the reason, and the replay of one or all (`GET /admin/dlq`, `POST /admin/dlq/replay`).
 * The list shows the API's summary of each item, never message content.
 */
export const DEAD_LETTERS_HTML = `<section id="panel-dead-letters" class="tab-panel" data-panel="dead-letters" role="tabpanel" aria-labelledby="tab-dead-letters" hidden>
      <div class="panel">
        <div class="panel-head">
          <div>
            <h2>Dead letters</h2>
            <p class="hint">What could not be relayed after its retries, oldest first, with the last reason. A replay puts the item back in its lane, where it is tried again as if new.</p>
          </div>
          <button id="dlq-replay-all" type="button" class="primary" disabled>Replay all</button>
        </div>
        <p id="dlq-status" class="status" role="status" hidden></p>
        <p id="dlq-error" class="error" role="alert" hidden></p>
        <p id="dlq-empty" class="hint" hidden>No dead letters: everything was relayed.</p>
        <div id="dlq-list" class="table-wrap"></div>
      </div>
    </section>
`;

/** Kept free of backticks and dollar-brace so it can live in this String.raw literal. */
export const DEAD_LETTERS_SCRIPT = String.raw`
  var shown = null;
  var count = 0;

  panels['dead-letters'] = {
    refresh: load,
    fail: failed('dlq-error'),
    reset: function () {
      shown = null;
      $('dlq-list').textContent = '';
      say('dlq-status', '');
      say('dlq-error', '');
    },
    init: function () { $('dlq-replay-all').addEventListener('click', replayAll); },
  };

  function load() {
    return api('GET', '/dlq').then(function (r) {
      say('dlq-error', '');
      show(r.entries || []);
    });
  }

  function show(entries) {
    var key = JSON.stringify(entries);
    if (key === shown) return;
    shown = key;
    count = entries.length;
    $('dlq-empty').hidden = count > 0;
    $('dlq-replay-all').disabled = count === 0;
    var list = $('dlq-list');
    list.textContent = '';
    if (count) list.appendChild(table(['Failed', 'Queue', 'Item', 'Reason', 'Attempts', ''], entries.map(row)));
  }

  function row(e) {
    var replay = button('Replay', 'replay', 'small');
    replay.addEventListener('click', function () { replayOne(e, replay); });
    return h('tr', { 'data-dead-letter': e.id, 'data-queue': e.queue }, [
      h('td', { className: 'when', text: formatSince(new Date(e.failedAt).toISOString()) }),
      h('td', { className: 'nowrap', text: e.queue }),
      h('td', {}, [
        h('div', { 'data-role': 'summary', text: e.summary }),
        h('div', { className: 'muted', text: 'lane ' + e.lane + ', id ' + e.id }),
      ]),
      h('td', { className: 'reason', 'data-role': 'reason', text: e.reason }),
      h('td', { className: 'num', 'data-role': 'attempts', text: String(e.attempts) }),
      h('td', {}, [replay]),
    ]);
  }

  function replayOne(e, btn) {
    btn.disabled = true;
    say('dlq-error', '');
    api('POST', '/dlq/replay', { queue: e.queue, id: e.id }).then(function () {
      say('dlq-status', 'Replayed ' + e.summary + ': it is back in its lane.');
      refreshPanel('dead-letters');
    }, function (err) {
      btn.disabled = false;
      failed('dlq-error')(err);
    });
  }

  function replayAll() {
    if (!window.confirm('Replay all ' + count + ' dead letter(s)? Each goes back in its lane and is tried again.')) return;
    $('dlq-replay-all').disabled = true;
    say('dlq-error', '');
    api('POST', '/dlq/replay', { all: true }).then(function (r) {
      var n = (r.replayed || []).length;
      say('dlq-status', n === 1 ? 'Replayed 1 dead letter: it is back in its lane.' : 'Replayed ' + n + ' dead letters: back in their lanes.');
      refreshPanel('dead-letters');
    }, function (err) {
      $('dlq-replay-all').disabled = count === 0;
      failed('dlq-error')(err);
    });
  }
`;
