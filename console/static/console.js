// The console's scripts: the dashboard's charts (Apache ECharts, served
// by tracegate), the review queue's keys and the scanner screen. Every
// page works without them; htmx (also served by tracegate) swaps the
// parts a form changes.
(function () {
  'use strict';
  function charts() {
    if (!window.echarts) return;
    document.querySelectorAll('[data-chart]').forEach(function (el) {
      var opt = document.getElementById('opt-' + el.dataset.chart);
      if (!opt) return;
      var chart = window.echarts.init(el, null, { renderer: 'canvas' });
      chart.setOption(JSON.parse(opt.textContent));
      el.dataset.rendered = 'true';
      window.addEventListener('resize', function () { chart.resize(); });
    });
  }

  // The review queue: j / k move between reviews, p releases the current
  // one, r refuses it (focusing its reason first when empty).
  function reviewKeys() {
    var list = document.querySelector('[data-keys=review]');
    if (!list) return;
    var cur = null;
    function items() { return Array.prototype.slice.call(list.querySelectorAll('.queue-item')); }
    function select(el) {
      if (cur) cur.classList.remove('current');
      cur = el;
      if (el) { el.classList.add('current'); el.focus(); }
    }
    document.addEventListener('keydown', function (e) {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      var t = e.target.tagName;
      if (t === 'TEXTAREA' || t === 'INPUT' || t === 'SELECT') {
        if (e.key === 'Escape') { e.target.blur(); if (cur) cur.focus(); }
        return;
      }
      var all = items();
      if (!all.length) return;
      if (!cur || !document.body.contains(cur)) cur = null;
      var i = cur ? all.indexOf(cur) : -1;
      if (e.key === 'j') { select(all[Math.min(i + 1, all.length - 1)]); e.preventDefault(); }
      else if (e.key === 'k') { select(all[Math.max(i - 1, 0)]); e.preventDefault(); }
      else if ((e.key === 'p' || e.key === 'r') && cur) {
        var b = cur.querySelector('button[data-key=' + e.key + ']');
        var reason = cur.querySelector('textarea');
        e.preventDefault();
        if (e.key === 'r' && reason && !reason.value.trim()) { reason.focus(); return; }
        if (b) b.click();
      }
    });
  }

  // The scanner screen: each code is taken from the input the moment
  // Enter comes and the input emptied, so a wedge scanner's next code can
  // follow at once; the codes go to the server one after another, in
  // order, and each verdict is put above the last (its totals too).
  function scanner() {
    var form = document.querySelector('[data-scanner]');
    if (!form) return;
    var input = form.querySelector('input[name=code]');
    var list = document.getElementById('verdicts');
    var chain = Promise.resolve();
    function show(html) {
      var t = document.createElement('template');
      t.innerHTML = html.trim();
      t.content.querySelectorAll('[hx-swap-oob]').forEach(function (el) {
        var target = document.querySelector(el.getAttribute('hx-swap-oob').replace(/^innerHTML:/, ''));
        if (target) target.innerHTML = el.innerHTML;
        el.remove();
      });
      var el = t.content.firstElementChild;
      if (!el) return;
      if (el.tagName !== 'LI') { var li = document.createElement('li'); li.appendChild(el); el = li; }
      list.insertBefore(el, list.firstChild);
      if (window.htmx) window.htmx.process(el);
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var code = input.value.trim();
      input.value = '';
      input.focus();
      if (!code) return;
      chain = chain.then(function () {
        var body = new URLSearchParams(new FormData(form));
        body.set('code', code);
        return fetch(form.action, { method: 'POST', body: body, headers: { 'HX-Request': 'true' }, credentials: 'same-origin' })
          .then(function (r) { return r.text(); })
          .then(show, function () { show('<li class="verdict bad"><code></code></li>'); list.firstChild.querySelector('code').textContent = code; });
      });
    });
    document.body.addEventListener('htmx:afterSettle', function () { input.focus(); });
  }

  function start() { charts(); reviewKeys(); scanner(); }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
