/**
 * The journeys tab: "where is that message?" A message's journey by its WhatsApp or Chatwoot id
 * (`GET /admin/messages/:id`), or a chat's recent messages and where each is (`GET /admin/messages?chat=`).
 * Journeys carry no message text and their phone numbers come masked; what is shown refreshes while the
 * tab is open, so a message being retried can be watched.
 */
export const JOURNEYS_HTML = `<section id="panel-journeys" class="tab-panel" data-panel="journeys" role="tabpanel" aria-labelledby="tab-journeys" hidden>
      <div class="panel">
        <div class="panel-head">
          <div>
            <h2>Journeys</h2>
            <p class="hint">Where a message is: received, each attempt and why it failed, posted or sent, the ticks, a dead letter and its replay. No message text is kept; phone numbers are masked.</p>
          </div>
        </div>
        <div class="searches">
          <form id="journey-find" class="search" autocomplete="off" novalidate>
            <label for="journey-chat">A chat's messages</label>
            <div class="search-row">
              <input id="journey-chat" type="tel" placeholder="+351912345678" spellcheck="false">
              <select id="journey-since" aria-label="How far back">
                <option value="15m">last 15 min</option><option value="1h" selected>last hour</option><option value="6h">last 6 hours</option>
                <option value="1d">last day</option><option value="7d">last 7 days</option>
              </select>
              <button id="journey-find-submit" type="submit" class="primary">Find</button>
            </div>
          </form>
          <form id="journey-show" class="search" autocomplete="off" novalidate>
            <label for="journey-id">One message</label>
            <div class="search-row">
              <input id="journey-id" placeholder="WhatsApp id or Chatwoot message id" spellcheck="false">
              <button id="journey-show-submit" type="submit" class="primary">Show</button>
            </div>
          </form>
        </div>
        <p id="journey-error" class="error" role="alert" hidden></p>
        <p id="journey-none" class="hint" hidden></p>
        <div id="journey-list" class="table-wrap"></div>
      </div>
      <div id="journey" class="panel details" hidden></div>
    </section>
`;

/** Kept free of backticks and dollar-brace so it can live in this String.raw literal. */
export const JOURNEYS_SCRIPT = String.raw`
  // The search and the journey on screen, fetched again at each refresh while the tab is open.
  var search = null;
  var shownId = null;
  var shownList = null;
  var shownJourney = null;

  var STATUS_CLASS = {
    posted: 'ok', sent: 'ok', delivered: 'ok', read: 'ok', 'already-done': 'ok',
    received: 'info', replayed: 'info', duplicate: 'info',
    'attempt-failed': 'warn', skipped: 'idle',
    failed: 'bad', 'dead-letter': 'bad', deleted: 'idle',
  };

  panels.journeys = {
    refresh: function () {
      return Promise.all([search ? find(search) : null, shownId ? show(shownId) : null]);
    },
    fail: failed('journey-error'),
    reset: function () {
      search = null;
      shownId = null;
      shownList = null;
      shownJourney = null;
      $('journey-list').textContent = '';
      $('journey').textContent = '';
      $('journey').hidden = true;
      say('journey-none', '');
      say('journey-error', '');
    },
    init: function () {
      $('journey-find').addEventListener('submit', function (e) {
        e.preventDefault();
        var chat = $('journey-chat').value.replace(/[\s().-]/g, '');
        if (!/\d/.test(chat)) return say('journey-error', 'Type the phone number of the chat, with its country code (+351...).');
        search = { chat: chat, since: $('journey-since').value };
        shownList = null;
        find(search).catch(failed('journey-error'));
      });
      $('journey-show').addEventListener('submit', function (e) {
        e.preventDefault();
        var id = $('journey-id').value.trim();
        if (!id) return say('journey-error', 'Type a WhatsApp message id or a Chatwoot message id.');
        openJourney(id);
      });
    },
  };

  function openJourney(id) {
    shownId = id;
    shownJourney = null;
    show(id).catch(failed('journey-error'));
  }

  function find(s) {
    return api('GET', '/messages?chat=' + encodeURIComponent(s.chat) + '&since=' + encodeURIComponent(s.since)).then(function (r) {
      if (search !== s) return;
      say('journey-error', '');
      var key = JSON.stringify(r.journeys);
      if (key === shownList) return;
      shownList = key;
      var list = $('journey-list');
      list.textContent = '';
      say('journey-none', r.journeys.length ? '' : 'No message in that chat since ' + new Date(r.since).toLocaleString() + '.');
      if (r.journeys.length) list.appendChild(table(['First seen', 'Direction', 'Kind', 'Now', 'Message', ''], r.journeys.map(row)));
    });
  }

  function row(j) {
    var btn = button('Show', 'show', 'small');
    btn.addEventListener('click', function () {
      $('journey-id').value = j.id;
      openJourney(j.id);
    });
    return h('tr', { 'data-journey': j.id, 'data-status': j.status }, [
      h('td', { className: 'when', text: formatSince(j.firstAt) }),
      h('td', { className: 'nowrap', text: direction(j.direction) }),
      h('td', { text: j.kind || '-' }),
      h('td', {}, [badge(j.status), j.reason ? h('div', { className: 'reason', 'data-role': 'reason', text: j.reason }) : null]),
      h('td', { className: 'id', text: j.id }),
      h('td', {}, [btn]),
    ]);
  }

  function show(id) {
    return api('GET', '/messages/' + encodeURIComponent(id)).then(function (j) {
      if (shownId !== id) return;
      say('journey-error', '');
      var key = JSON.stringify(j);
      if (key === shownJourney) return;
      shownJourney = key;
      render(j);
    }, function (e) {
      if (shownId !== id) return;
      // Not found: say so where the journey would be, and stop asking for it.
      if (e.status === 404 && e.code === 'not_found') shownId = null;
      throw e;
    });
  }

  function render(j) {
    var box = $('journey');
    var closeBtn = button('Close', 'close', 'small');
    closeBtn.addEventListener('click', function () {
      shownId = null;
      shownJourney = null;
      box.hidden = true;
      box.textContent = '';
    });
    var where = [direction(j.direction)];
    if (j.session) where.push('session ' + j.session);
    if (j.chat) where.push('chat ' + j.chat);
    box.textContent = '';
    [
      h('div', { className: 'panel-head' }, [h('h2', { text: 'Message ' + j.id }), closeBtn]),
      h('p', { className: 'hint where', text: where.join(', ') }),
      h('dl', { className: 'facts' }, [
        h('dt', { text: 'Now' }), h('dd', {}, [badge(j.status)]),
        h('dt', { text: 'WhatsApp ids' }), h('dd', { 'data-role': 'whatsapp-ids', text: j.ids.whatsapp.join(', ') || '-' }),
        h('dt', { text: 'Chatwoot ids' }), h('dd', { 'data-role': 'chatwoot-ids', text: j.ids.chatwoot.join(', ') || '-' }),
      ]),
      h('ol', { className: 'timeline', 'data-role': 'steps' }, j.steps.map(function (s) {
        // A tick is as good or as bad as the status it brings.
        var tone = STATUS_CLASS[s.step === 'tick' ? s.status : s.step] || 'idle';
        return h('li', { className: 'step ' + tone, 'data-step': s.step }, [
          h('span', { className: 'when', text: new Date(s.at).toLocaleTimeString() }),
          h('span', { 'data-role': 'text', text: stepText(s) }),
        ]);
      })),
    ].forEach(function (el) { box.appendChild(el); });
    box.setAttribute('data-journey', j.id);
    box.hidden = false;
  }

  function direction(d) { return d === 'from-whatsapp' ? 'WhatsApp to Chatwoot' : 'Chatwoot to WhatsApp'; }

  function badge(status) {
    return h('span', { className: 'badge j-' + (STATUS_CLASS[status] || 'idle'), 'data-role': 'status', text: status.replace(/-/g, ' ') });
  }

  // The same sentences as ponte messages show.
  function stepText(s) {
    switch (s.step) {
      case 'received': return 'received by ' + s.via + (s.kind ? ' (' + s.kind + ')' : '') + ', persisted in lane ' + s.lane;
      case 'duplicate': return 'came again by ' + s.via + ': already taken in, not queued twice';
      case 'attempt-failed': return 'attempt ' + s.attempt + ' failed: ' + s.reason + ' (next try in ' + Math.round(s.retryInMs / 100) / 10 + ' s)';
      case 'posted': return (s.found ? 'found in Chatwoot (an earlier attempt had posted it)' : 'posted to Chatwoot') + ': message ' + s.chatwoot + ' in conversation ' + s.conversation;
      case 'sent': return (s.adopted ? 'found in the WhatsApp chat (an earlier attempt had sent it)' : 'sent to WhatsApp') + ': part ' + (s.part + 1) + ', id ' + s.whatsapp;
      case 'already-done': return 'already relayed by an earlier attempt: nothing done again';
      case 'skipped': return 'not relayed: ' + s.reason;
      case 'tick': return 'WhatsApp tick: ' + s.status;
      case 'dead-letter': return 'dead letter after ' + s.attempts + ' attempt(s): ' + s.reason + ' (replay it in Dead letters)';
      case 'replayed': return 'replayed from the dead letters (' + s.queue + ' ' + s.deadLetterId + ')';
      case 'deleted': return 'deleted by an agent: ' + (s.outcome === 'everyone' ? 'for everyone' : s.outcome === 'me-only' ? 'on the phone only (too late for everyone)' : 'this engine cannot delete');
      default: return s.step;
    }
  }
`;
