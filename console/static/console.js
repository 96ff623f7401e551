// The console's scripts: the dashboard's charts (Apache ECharts, served
// by tracegate). Every page works without them.
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
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', charts);
  } else {
    charts();
  }
})();
