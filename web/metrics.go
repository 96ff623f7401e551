package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// PoolStats describes one database connection pool for /metrics.
type PoolStats struct {
	Pool         string // "sqlite-writer", "sqlite-reader", "postgres"
	Max          int
	Open         int
	InUse        int
	Idle         int
	WaitCount    int64
	WaitDuration time.Duration
}

type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	// scans counts label scans by verdict: genuine, suspected_copy,
	// unbound, unknown (not one of ours) and rate_limited.
	scans *prometheus.CounterVec
	// refusedConns counts connections closed at accept because their
	// client already held Config.MaxConnsPerClient.
	refusedConns prometheus.Counter
}

func newMetrics(reg *prometheus.Registry, dbStats func() []PoolStats) *metrics {
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tracegate_http_requests_total",
			Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "tracegate_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		scans: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tracegate_label_scans_total",
			Help: "Label scans (GET /l/{code}) by verdict: genuine, suspected_copy, unbound, unknown, rate_limited.",
		}, []string{"verdict"}),
		refusedConns: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "tracegate_http_refused_connections_total",
			Help: "Connections closed at accept: their client address already held the most open connections allowed.",
		}),
	}
	reg.MustRegister(m.requests, m.duration, m.scans, m.refusedConns,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if dbStats != nil {
		reg.MustRegister(&poolCollector{stats: dbStats})
	}
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// instrument counts and times the requests of one route. The route's
// labels are resolved once, not per request.
func (m *metrics) instrument(pattern string, next http.Handler) http.Handler {
	obs := m.duration.WithLabelValues(pattern)
	counters := map[int]prometheus.Counter{}
	for _, code := range []int{200, 201, 202, 204, 400, 401, 403, 404, 409, 413, 415, 429, 500, 503} {
		counters[code] = m.requests.WithLabelValues(pattern, strconv.Itoa(code))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec, ok := w.(*statusRecorder)
		if !ok {
			rec = &statusRecorder{ResponseWriter: w}
			w = rec
		}
		next.ServeHTTP(w, r)
		obs.Observe(time.Since(start).Seconds())
		code := rec.status
		if code == 0 {
			code = http.StatusOK
		}
		if c, ok := counters[code]; ok {
			c.Inc()
		} else {
			m.requests.WithLabelValues(pattern, strconv.Itoa(code)).Inc()
		}
	})
}

// poolCollector reports database pool gauges at scrape time.
type poolCollector struct{ stats func() []PoolStats }

var (
	poolMaxDesc     = prometheus.NewDesc("tracegate_db_pool_max_connections", "Maximum connections of the pool.", []string{"pool"}, nil)
	poolOpenDesc    = prometheus.NewDesc("tracegate_db_pool_open_connections", "Open connections of the pool.", []string{"pool"}, nil)
	poolInUseDesc   = prometheus.NewDesc("tracegate_db_pool_in_use_connections", "Connections in use.", []string{"pool"}, nil)
	poolIdleDesc    = prometheus.NewDesc("tracegate_db_pool_idle_connections", "Idle connections.", []string{"pool"}, nil)
	poolWaitDesc    = prometheus.NewDesc("tracegate_db_pool_wait_total", "Times a caller waited for a connection.", []string{"pool"}, nil)
	poolWaitSecDesc = prometheus.NewDesc("tracegate_db_pool_wait_seconds_total", "Time spent waiting for a connection.", []string{"pool"}, nil)
)

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolMaxDesc, poolOpenDesc, poolInUseDesc, poolIdleDesc, poolWaitDesc, poolWaitSecDesc} {
		ch <- d
	}
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	for _, p := range c.stats() {
		ch <- prometheus.MustNewConstMetric(poolMaxDesc, prometheus.GaugeValue, float64(p.Max), p.Pool)
		ch <- prometheus.MustNewConstMetric(poolOpenDesc, prometheus.GaugeValue, float64(p.Open), p.Pool)
		ch <- prometheus.MustNewConstMetric(poolInUseDesc, prometheus.GaugeValue, float64(p.InUse), p.Pool)
		ch <- prometheus.MustNewConstMetric(poolIdleDesc, prometheus.GaugeValue, float64(p.Idle), p.Pool)
		ch <- prometheus.MustNewConstMetric(poolWaitDesc, prometheus.CounterValue, float64(p.WaitCount), p.Pool)
		ch <- prometheus.MustNewConstMetric(poolWaitSecDesc, prometheus.CounterValue, p.WaitDuration.Seconds(), p.Pool)
	}
}
