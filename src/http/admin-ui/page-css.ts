/** Styles of the admin page (served as /admin/ui/app.css; no external fonts or assets). */
export const ADMIN_UI_CSS = `
:root {
  --bg: #f4f5f7; --panel: #fff; --text: #1d2330; --muted: #5f6b7a; --line: #dde1e7;
  --accent: #0b7a5a; --accent-text: #fff; --danger: #b42318;
  --ok: #067647; --ok-bg: #dcfae6; --warn: #935f00; --warn-bg: #fef0c7;
  --bad: #b42318; --bad-bg: #fee4e2; --info: #175cd3; --info-bg: #d1e9ff; --idle: #475467; --idle-bg: #eaecf0;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: var(--text); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
[hidden] { display: none !important; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.92em; }
.top { display: flex; align-items: center; justify-content: space-between; padding: 14px 24px; background: var(--panel); border-bottom: 1px solid var(--line); }
.top h1 { margin: 0; font-size: 20px; }
.top .sub { color: var(--muted); font-weight: 400; font-size: 15px; margin-left: 6px; }
.top-right { display: flex; align-items: center; gap: 14px; }
.live { color: var(--ok); font-size: 13px; }
.live::before { content: ""; display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: var(--ok); margin-right: 6px; vertical-align: 1px; }
.live.stale { color: var(--danger); }
.live.stale::before { background: var(--danger); }
main { max-width: 1100px; margin: 0 auto; padding: 20px 24px 40px; }
.banner { padding: 10px 14px; border-radius: 8px; margin: 0 0 16px; }
.banner.error { background: var(--bad-bg); color: var(--bad); }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 12px; padding: 20px; }
.login { display: flex; justify-content: center; }
.login form { width: 100%; max-width: 420px; display: flex; flex-direction: column; gap: 10px; }
.login h2 { margin: 0; }
.hint { color: var(--muted); margin: 0; }
label { font-weight: 600; font-size: 13px; }
input { font: inherit; padding: 8px 10px; border: 1px solid var(--line); border-radius: 8px; background: #fff; color: var(--text); min-width: 0; }
input:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
button { font: inherit; padding: 8px 14px; border-radius: 8px; border: 1px solid var(--line); background: #fff; color: var(--text); cursor: pointer; white-space: nowrap; }
button:hover:not(:disabled) { border-color: var(--muted); }
button:disabled { opacity: 0.5; cursor: default; }
button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-text); }
button.danger { color: var(--danger); border-color: #f3b8b2; }
button.link { border: none; background: none; color: var(--info); padding: 0; }
.error { color: var(--danger); margin: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 16px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 12px; padding: 16px; display: flex; flex-direction: column; gap: 10px; }
.card-head { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
.card-head h2 { margin: 0; font-size: 17px; overflow-wrap: anywhere; }
.engine { color: var(--muted); font-size: 13px; font-weight: 400; margin-left: 6px; }
.badge { font-size: 12px; font-weight: 700; letter-spacing: 0.03em; padding: 3px 9px; border-radius: 999px; background: var(--idle-bg); color: var(--idle); }
.badge.CONNECTED { background: var(--ok-bg); color: var(--ok); }
.badge.QR_REQUIRED { background: var(--info-bg); color: var(--info); }
.badge.CONNECTING, .badge.TRANSIENT_DISCONNECT { background: var(--warn-bg); color: var(--warn); }
.badge.LOGGED_OUT, .badge.BAD_CREDENTIALS { background: var(--bad-bg); color: var(--bad); }
.facts { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; font-size: 14px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.pairing { border: 1px dashed var(--line); border-radius: 10px; padding: 12px; display: flex; flex-direction: column; align-items: center; gap: 8px; text-align: center; }
.qr { width: 232px; height: 232px; image-rendering: pixelated; background: #fff; border-radius: 6px; }
.code { font: 700 30px/1.2 ui-monospace, "DejaVu Sans Mono", monospace; letter-spacing: 0.08em; }
.pairing-meta { font-size: 13px; color: var(--muted); }
.actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.phone-row { display: flex; flex-wrap: wrap; gap: 8px; }
.phone-row input { flex: 1 1 18ch; min-width: 18ch; }
select { font: inherit; padding: 8px 10px; border: 1px solid var(--line); border-radius: 8px; background: #fff; color: var(--text); }
.add-panel { margin: 0 0 16px; padding: 12px 20px; }
.add-panel summary { cursor: pointer; font-weight: 600; }
.add-panel form { display: flex; flex-direction: column; gap: 10px; margin-top: 10px; align-items: flex-start; }
.add-grid { display: grid; grid-template-columns: auto minmax(0, 320px); gap: 8px 12px; align-items: center; }
.check { font-weight: 400; display: flex; gap: 6px; align-items: center; }
.source { font-size: 12px; color: var(--muted); font-weight: 400; margin-left: 6px; }
.tabs { display: flex; flex-wrap: wrap; gap: 2px; border-bottom: 1px solid var(--line); margin: 0 0 16px; }
.tabs button { border: none; border-bottom: 2px solid transparent; border-radius: 0; background: none; padding: 10px 14px; color: var(--muted); margin-bottom: -1px; }
.tabs button:hover:not(:disabled) { color: var(--text); }
.tabs button[aria-selected="true"] { color: var(--text); border-bottom-color: var(--accent); font-weight: 600; }
.tabs button:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
.panel-head { display: flex; justify-content: space-between; align-items: flex-start; gap: 16px; margin: 0 0 12px; }
@media (max-width: 640px) {
  main { padding: 12px 12px 32px; }
  .panel { padding: 14px; }
  .panel-head { flex-direction: column; }
}
.panel-head h2 { margin: 0 0 4px; font-size: 18px; }
.panel h3 { margin: 16px 0 6px; font-size: 15px; }
.details { margin-top: 16px; }
.filters { display: flex; gap: 8px; align-items: center; }
.status { background: var(--ok-bg); color: var(--ok); padding: 8px 12px; border-radius: 8px; margin: 0 0 12px; }
.table-wrap { overflow-x: auto; }
table.list { width: 100%; border-collapse: collapse; font-size: 14px; }
table.list th { text-align: left; color: var(--muted); font-weight: 600; font-size: 13px; padding: 6px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
table.list td { padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
table.list tbody tr:last-child td { border-bottom: none; }
table.list td.num, table.list td.nowrap { white-space: nowrap; }
table.list td.when { white-space: nowrap; color: var(--muted); }
table.list td.reason { color: var(--bad); min-width: 16ch; }
.muted { color: var(--muted); font-size: 12px; }
.row-actions { display: flex; gap: 6px; }
table.list .badge { white-space: nowrap; }
button.small { padding: 4px 10px; font-size: 13px; }
.badge.bot, .badge.queued { background: var(--info-bg); color: var(--info); }
.badge.human, .badge.fixing { background: var(--warn-bg); color: var(--warn); }
.badge.delivered { background: var(--ok-bg); color: var(--ok); }
.badge.failed, .badge.rejected { background: var(--bad-bg); color: var(--bad); }
.searches { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 12px 24px; margin: 0 0 12px; }
.search { display: flex; flex-direction: column; gap: 6px; }
.search-row { display: flex; gap: 8px; }
.search-row input { flex: 1 1 auto; }
table.list td.id { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; }
table.list td .reason { color: var(--bad); font-size: 13px; margin-top: 4px; }
.badge.j-ok { background: var(--ok-bg); color: var(--ok); }
.badge.j-info { background: var(--info-bg); color: var(--info); }
.badge.j-warn { background: var(--warn-bg); color: var(--warn); }
.badge.j-bad { background: var(--bad-bg); color: var(--bad); }
.details .where { margin: -4px 0 10px; }
.timeline { list-style: none; margin: 12px 0 0; padding: 0 0 0 14px; border-left: 2px solid var(--line); display: flex; flex-direction: column; gap: 8px; }
.timeline .step { position: relative; display: flex; gap: 12px; font-size: 14px; overflow-wrap: anywhere; }
.timeline .step::before { content: ""; position: absolute; left: -20px; top: 6px; width: 10px; height: 10px; border-radius: 50%; background: var(--idle); }
.timeline .step.ok::before { background: var(--ok); }
.timeline .step.info::before { background: var(--info); }
.timeline .step.warn::before { background: #dc8a00; }
.timeline .step.bad::before { background: var(--bad); }
.timeline .when { color: var(--muted); white-space: nowrap; font-variant-numeric: tabular-nums; }
`;
