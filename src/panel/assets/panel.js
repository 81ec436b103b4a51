// bcbridge control panel: the live feed and a few conveniences around htmx. No build step, no framework.
(function () {
  'use strict';

  function fire(name) {
    // Fragments listen with hx-trigger="bcb:<part> from:body".
    if (window.htmx) window.htmx.trigger(document.body, name);
  }

  // Charts are heavier than tables: redraw them at most every 10 s, but never drop the last change.
  var chartsTimer = null;
  var chartsLast = 0;
  function chartsSoon() {
    var wait = 10000 - (Date.now() - chartsLast);
    if (wait <= 0) {
      chartsLast = Date.now();
      fire('bcb:charts');
    } else if (!chartsTimer) {
      chartsTimer = setTimeout(function () {
        chartsTimer = null;
        chartsLast = Date.now();
        fire('bcb:charts');
      }, wait);
    }
  }

  function setLive(state, text) {
    var dot = document.getElementById('live-dot');
    var label = document.getElementById('live-label');
    if (dot) dot.className = 'live-dot ' + state;
    if (label) label.textContent = text;
    document.body.setAttribute('data-live', state);
  }

  // Server-sent events: the server says which parts changed (orders, runs, log, env, jobs).
  function connect() {
    if (!window.EventSource) return setLive('off', 'no live updates in this browser');
    var es = new EventSource('/api/events');
    es.addEventListener('open', function () { setLive('on', 'live'); });
    // On (re)connecting, catch up with whatever changed between rendering the page and now.
    es.addEventListener('hello', function () {
      ['orders', 'runs', 'log', 'env', 'jobs'].forEach(function (k) { fire('bcb:' + k); });
    });
    es.addEventListener('change', function (e) {
      var change = {};
      try { change = JSON.parse(e.data); } catch (err) { return; }
      for (var key in change) if (change[key]) fire('bcb:' + key);
      if (change.orders) chartsSoon();
    });
    es.addEventListener('error', function () {
      // EventSource reconnects by itself; CLOSED means it gave up (e.g. the session expired).
      if (es.readyState === 2) setLive('off', 'live updates stopped: reload the page');
      else setLive('off', 'reconnecting…');
    });
  }

  // A refreshing fragment sends the version it shows; the server answers 204 (nothing to swap) when
  // it is unchanged, so a form being filled in is not replaced by an identical copy.
  document.addEventListener('htmx:configRequest', function (e) {
    var elt = e.detail.elt;
    if (!elt || !elt.hasAttribute || !elt.hasAttribute('data-refresh')) return;
    var v = elt.querySelector('[data-version]');
    if (v) e.detail.parameters.v = v.getAttribute('data-version');
  });

  // Keep ticked checkboxes and opened <details> across refreshes.
  document.addEventListener('htmx:beforeSwap', function (e) {
    var t = e.detail.target;
    if (!t || !t.querySelectorAll) return;
    t.__keep = {
      checked: Array.prototype.map.call(t.querySelectorAll('input[type=checkbox][name=ids]:checked'), function (x) { return x.value; }),
      open: Array.prototype.map.call(t.querySelectorAll('details[id][open]'), function (d) { return d.id; }),
      closed: Array.prototype.map.call(t.querySelectorAll('details[id]:not([open])'), function (d) { return d.id; }),
    };
  });
  document.addEventListener('htmx:afterSwap', function (e) {
    var t = e.detail.target;
    var keep = t && t.__keep;
    if (!keep) return;
    keep.checked.forEach(function (v) {
      var box = t.querySelector('input[type=checkbox][name=ids][value="' + v + '"]');
      if (box) box.checked = true;
    });
    keep.open.forEach(function (id) { var d = document.getElementById(id); if (d) d.open = true; });
    keep.closed.forEach(function (id) { var d = document.getElementById(id); if (d) d.open = false; });
    t.__keep = null;
  });

  document.addEventListener('change', function (e) {
    var box = e.target;
    if (!box || !box.hasAttribute || !box.hasAttribute('data-select-all')) return;
    var scope = document.getElementById(box.getAttribute('data-select-all'));
    if (!scope) return;
    Array.prototype.forEach.call(scope.querySelectorAll('input[type=checkbox][name=ids]'), function (x) { x.checked = box.checked; });
  });

  // Forms whose buttons post through htmx must not also submit natively (Enter in a text field).
  document.addEventListener('submit', function (e) {
    if (e.target && e.target.hasAttribute && e.target.hasAttribute('data-no-submit')) e.preventDefault();
  });

  // Times are rendered in UTC; show them in the browser's time zone (UTC stays in the tooltip).
  function localize(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll('time[datetime]'), function (t) {
      if (t.getAttribute('data-local')) return;
      var d = new Date(t.getAttribute('datetime'));
      if (isNaN(d.getTime())) return;
      t.title = t.getAttribute('datetime');
      t.textContent = d.toLocaleString();
      t.setAttribute('data-local', '1');
    });
  }
  document.addEventListener('htmx:load', function (e) { localize(e.detail.elt); });
  document.addEventListener('DOMContentLoaded', function () {
    localize(document);
    connect();
  });
})();
