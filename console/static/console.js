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

  // The item view's ledger proof, checked in the page with the browser's
  // own cryptography, not taken on the server's word: the leaf holds
  // SHA-256("tracegate label commitment v1" 0x00 code); the RFC 6962
  // inclusion proof leads from the leaf to the checkpoint's root; the
  // checkpoint (a C2SP signed note) is signed by the log's Ed25519 key.
  function b64(s) { return Uint8Array.from(atob(s), function (c) { return c.charCodeAt(0); }); }
  function unb64(a) { var s = ''; a.forEach(function (b) { s += String.fromCharCode(b); }); return btoa(s); }
  function cat() {
    var n = 0, i, out, off = 0;
    for (i = 0; i < arguments.length; i++) n += arguments[i].length;
    out = new Uint8Array(n);
    for (i = 0; i < arguments.length; i++) { out.set(arguments[i], off); off += arguments[i].length; }
    return out;
  }
  function sha(a) { return crypto.subtle.digest('SHA-256', a).then(function (d) { return new Uint8Array(d); }); }
  function same(a, b) { if (a.length !== b.length) return false; for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false; return true; }
  async function rootOf(leaf, index, size, path) {
    var r = await sha(cat(new Uint8Array([0]), leaf)), fn = index, sn = size - 1;
    for (var i = 0; i < path.length; i++) {
      if (sn === 0) return null;
      if ((fn & 1) === 1 || fn === sn) {
        r = await sha(cat(new Uint8Array([1]), path[i], r));
        if ((fn & 1) === 0) { while ((fn & 1) === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); } }
      } else {
        r = await sha(cat(new Uint8Array([1]), r, path[i]));
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    return sn === 0 ? r : null;
  }
  async function signedBy(note, vkey) {
    var v = vkey.trim(), i = v.indexOf('+'), j = v.indexOf('+', i + 1);
    var name = v.slice(0, i), hash = v.slice(i + 1, j), key = b64(v.slice(j + 1));
    var cut = note.indexOf('\n\n');
    var text = new TextEncoder().encode(note.slice(0, cut + 1));
    var lines = note.slice(cut + 2).split('\n');
    if (!crypto.subtle || key[0] !== 1) return null;
    var pub;
    try { pub = await crypto.subtle.importKey('raw', key.slice(1), { name: 'Ed25519' }, false, ['verify']); } catch (e) { return null; }
    for (var i = 0; i < lines.length; i++) {
      var m = /^\u2014 (\S+) (\S+)$/.exec(lines[i]);
      if (!m || m[1] !== name) continue;
      var sig = b64(m[2]), kh = Array.from(sig.slice(0, 4), function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
      if (kh !== hash) continue;
      if (await crypto.subtle.verify({ name: 'Ed25519' }, pub, sig.slice(4), text)) return true;
    }
    return false;
  }
  function proofs() {
    document.querySelectorAll('[data-proof]').forEach(function (box) {
      var btn = box.querySelector('[data-verify]'), out = box.querySelector('[data-proof-result]');
      if (!btn || !out || !window.crypto || !crypto.subtle) return;
      btn.hidden = false;
      function line(ok, key, extra) {
        var li = document.createElement('li');
        li.className = ok === null ? 'info' : ok ? 'ok' : 'bad';
        li.textContent = out.dataset['t' + key[0].toUpperCase() + key.slice(1)] + (extra ? ' ' + extra : '');
        out.appendChild(li);
        return ok;
      }
      btn.addEventListener('click', async function () {
        out.textContent = '';
        btn.disabled = true;
        try {
          var code = box.dataset.code;
          var res = await Promise.all([
            fetch('/l/' + code + '/proof', { headers: { Accept: 'application/json' } }).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); }),
            fetch('/log/vkey').then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })]);
          var pr = res[0], vkey = res[1], leaf = b64(pr.extra);
          var com = await sha(new TextEncoder().encode('tracegate label commitment v1\u0000' + code));
          var c1 = line(new TextDecoder().decode(leaf).split('\n').indexOf('item ' + unb64(com)) >= 0, 'commitment');
          var cp = pr.checkpoint.split('\n');
          var root = await rootOf(leaf, pr.index, Number(cp[1]), pr.hashes.map(b64));
          var c2 = line(root !== null && same(root, b64(cp[2])), 'inclusion', cp[0] + ' #' + pr.index + ' / ' + cp[1]);
          var sig = await signedBy(pr.checkpoint, vkey);
          var c3 = sig === null ? line(false, 'nosig') : line(sig, 'signature');
          line(c1 && c2 && c3, c1 && c2 && c3 ? 'ok' : 'bad');
          line(null, 'key', vkey.trim());
          out.dataset.verified = String(c1 && c2 && c3);
        } catch (e) {
          line(false, 'bad', String(e.message || e));
          out.dataset.verified = 'false';
        }
        btn.disabled = false;
      });
    });
  }

  function start() { charts(); reviewKeys(); scanner(); proofs(); }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
