// The static files of the web pages (/static/web.css, /static/live.js): plain CSS for phones and desktops, and
// a little vanilla JS that refreshes the Status page from /events (Server-Sent Events), or by polling /status.json
// every second where those are unavailable (no inline script: CSP).
// SPDX-License-Identifier: Apache-2.0

/** Milliseconds between two polls of /status.json when Server-Sent Events are unavailable. */
export const LIVE_POLL_MS = 1000;

/** The stylesheet. */
export const WEB_CSS = `:root{--fg:#1d2530;--muted:#5b6673;--line:#d5dbe2;--bg:#f6f7f9;--accent:#1f5fae;--bad:#b3261e;--warn:#8a5a00;--ok:#1e7a3c}
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;align-items:center;gap:.6em;padding:.6em 1em;background:#fff;border-bottom:1px solid var(--line)}
header img{width:40px;height:40px}
header h1{font-size:1.25em;margin:0;flex:1}
header .who{color:var(--muted);font-size:.9em}
nav{background:#fff;border-bottom:1px solid var(--line);overflow-x:auto;white-space:nowrap}
nav a{display:inline-block;padding:.6em .9em;color:var(--accent);text-decoration:none}
nav a[aria-current=page]{font-weight:600;border-bottom:3px solid var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #f0a400;outline-offset:2px}
main{max-width:60em;margin:0 auto;padding:1em}
h2{font-size:1.1em;margin:1.4em 0 .5em}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.8em 1em;margin-bottom:1em}
.state{font-size:1.4em;font-weight:600}
.state.stopped{color:var(--bad)}.state.processing{color:var(--ok)}
ul.reasons{padding-left:1.2em;margin:.3em 0}
.critical{color:var(--bad)}.warning{color:var(--warn)}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;margin:0}
.facts dt{color:var(--muted)}.facts dd{margin:0;overflow-wrap:anywhere}
.supply{display:grid;grid-template-columns:minmax(7em,12em) 1fr 4.5em;align-items:center;gap:.6em;margin:.3em 0}
.gauge{width:100%;height:1.1em;border:1px solid #9aa5b1;border-radius:3px;background:#fff}
.gauge .track{fill:#eef1f4}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35em .5em;border-bottom:1px solid var(--line);vertical-align:top}
form.inline{display:inline}
label{display:block;margin:.5em 0 .2em;color:var(--muted)}
input[type=text],input[type=password],select,textarea{width:100%;max-width:32em;font:inherit;padding:.4em;border:1px solid #9aa5b1;border-radius:4px;background:#fff}
textarea{min-height:8em;font-family:ui-monospace,monospace;font-size:.85em}
button{font:inherit;padding:.45em 1em;border-radius:4px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;margin:.4em .4em .4em 0}
button.secondary{background:#fff;color:var(--accent)}
.notice{padding:.6em 1em;border-radius:6px;background:#e6f2ea;border:1px solid #a8d5b5}
.error{padding:.6em 1em;border-radius:6px;background:#fbeaea;border:1px solid #e0a5a1}
.muted{color:var(--muted)}
pre.log{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.8em;margin:0}
.lvl-50,.lvl-60{color:var(--bad)}.lvl-40{color:var(--warn)}
@media (max-width:30em){.supply{grid-template-columns:1fr 3.5em}.supply .gauge{grid-column:1/3;grid-row:2}main{padding:.5em}}
`;

/** The live-status script: fills the Status page's marked elements from /status.json. */
export const LIVE_JS = `'use strict';
(function () {
  var root = document.getElementById('live');
  if (!root) return;
  var text = function (id, value) { var el = document.getElementById(id); if (el && el.textContent !== value) el.textContent = value; };
  var list = function (id, items, empty) {
    var el = document.getElementById(id);
    if (!el) return;
    var key = JSON.stringify(items);
    if (el.getAttribute('data-key') === key) return;
    el.setAttribute('data-key', key);
    el.textContent = '';
    if (items.length === 0) { var none = document.createElement('li'); none.textContent = empty; el.appendChild(none); return; }
    items.forEach(function (r) { var li = document.createElement('li'); li.textContent = r.text; if (r.severity) li.className = r.severity; el.appendChild(li); });
  };
  var apply = function (s) {
    var st = document.getElementById('state');
    if (st) { st.textContent = s.stateText; st.className = 'state ' + s.state; }
    text('message', s.message);
    list('reasons', s.reasons, root.getAttribute('data-none'));
    list('alerts', s.alerts, root.getAttribute('data-no-alerts'));
    text('queued', String(s.queued));
    text('uptime', s.upTime);
    s.supplies.forEach(function (x, i) {
      var bar = document.getElementById('supply-bar-' + i);
      if (bar) bar.setAttribute('width', String(Math.max(0, x.level)));
      text('supply-level-' + i, x.levelText);
    });
  };
  var poll = function () {
    fetch('/status.json', { cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) { if (s) apply(s); })
      .catch(function () { /* printer restarting: try again next time */ })
      .then(function () { setTimeout(poll, ${LIVE_POLL_MS}); });
  };
  // Server-Sent Events push each change at once; without them (or when refused) poll every second.
  if (!window.EventSource) { setTimeout(poll, ${LIVE_POLL_MS}); return; }
  var source = new EventSource('/events');
  var polling = false;
  source.onmessage = function (e) { apply(JSON.parse(e.data)); };
  source.onerror = function () {
    if (source.readyState === EventSource.CLOSED && !polling) { polling = true; setTimeout(poll, ${LIVE_POLL_MS}); }
  };
})();
`;
