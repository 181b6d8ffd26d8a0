/**
 * The bots tab: chats with a Typebot flow running or handed to humans (`GET /admin/bots`); a chat in human
 * hands goes back to its bot where its flow was (`.../resume`), any chat can start its flow afresh
 * (`.../restart`).
 */
export const BOTS_HTML = `<section id="panel-bots" class="tab-panel" data-panel="bots" role="tabpanel" aria-labelledby="tab-bots" hidden>
      <div class="panel">
        <div class="panel-head">
          <div>
            <h2>Bots</h2>
            <p class="hint">Chats whose Typebot flow is running, and chats handed to humans (an agent replied, a handoff keyword, Typebot failing). Resume gives a chat back to its bot where the flow was; Restart starts the flow afresh.</p>
          </div>
        </div>
        <p id="bots-status" class="status" role="status" hidden></p>
        <p id="bots-error" class="error" role="alert" hidden></p>
        <p id="bots-empty" class="hint" hidden>No chat is in a flow or with humans.</p>
        <div id="bots-list" class="table-wrap"></div>
      </div>
    </section>
`;

/** Kept free of backticks and dollar-brace so it can live in this String.raw literal. */
export const BOTS_SCRIPT = String.raw`
  var shown = null;

  panels.bots = {
    refresh: load,
    fail: failed('bots-error'),
    reset: function () {
      shown = null;
      $('bots-list').textContent = '';
      say('bots-status', '');
      say('bots-error', '');
    },
  };

  function load() {
    return api('GET', '/bots').then(function (r) {
      say('bots-error', '');
      var chats = (r.chats || []).slice().sort(function (a, b) {
        return a.session === b.session ? (a.chatKey < b.chatKey ? -1 : 1) : a.session < b.session ? -1 : 1;
      });
      show(chats);
    });
  }

  function show(chats) {
    var key = JSON.stringify(chats);
    if (key === shown) return;
    shown = key;
    $('bots-empty').hidden = chats.length > 0;
    var list = $('bots-list');
    list.textContent = '';
    if (chats.length) list.appendChild(table(['Session', 'Chat', 'Who has it', ''], chats.map(row)));
  }

  function row(c) {
    var human = c.mode === 'human';
    var resume = button('Resume', 'resume', 'small primary');
    var restart = button('Restart', 'restart', 'small');
    resume.hidden = !human;
    resume.addEventListener('click', function () { act(c, 'resume', [resume, restart]); });
    restart.addEventListener('click', function () {
      if (!window.confirm('Start the flow of chat ' + chatLabel(c.chatKey) + ' afresh? Where it was in the flow is dropped.')) return;
      act(c, 'restart', [resume, restart]);
    });
    return h('tr', { 'data-chat': c.chatKey, 'data-session': c.session, 'data-mode': c.mode }, [
      h('td', { text: c.session }),
      h('td', { className: 'nowrap', text: chatLabel(c.chatKey) }),
      h('td', {}, [h('span', { className: 'badge ' + (human ? 'human' : 'bot'), 'data-role': 'mode', text: human ? 'with humans' : 'in the flow' })]),
      h('td', {}, [h('div', { className: 'row-actions' }, [resume, restart])]),
    ]);
  }

  function act(c, what, buttons) {
    buttons.forEach(function (b) { b.disabled = true; });
    say('bots-error', '');
    var path = '/bots/' + encodeURIComponent(c.session) + '/' + encodeURIComponent(c.chatKey) + '/' + what;
    api('POST', path, {}).then(function () {
      say('bots-status', what === 'resume'
        ? 'Chat ' + chatLabel(c.chatKey) + ' is back with its bot: the flow goes on where it was.'
        : 'The flow of chat ' + chatLabel(c.chatKey) + ' starts afresh.');
      refreshPanel('bots');
    }, function (err) {
      buttons.forEach(function (b) { b.disabled = false; });
      failed('bots-error')(err);
    });
  }
`;
