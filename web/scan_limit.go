package web

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"tracegate"
)

// Scan-page limits, kept in memory on each node (no database round trip per
// scan; with several nodes each counts its own share, so a client behind a
// load balancer gets up to nodes × the limit):
//
//   - per client network (IPPrefix: an IPv4 /24, an IPv6 /48), every lookup
//     of a code — known or unknown, on the page, its proof or its
//     complaint form — counts toward ScanNetworkLimit a minute, and unknown
//     codes toward UnknownCodeLimit. Once a network is over either, every
//     lookup from it is answered alike (429, the same page or problem) until
//     the minute ends: the answer to a rate-limited client says nothing about
//     whether a code exists (issue 11, finding 14);
//   - per code, at most ScanCodeLimit scans a minute and ScanCodeNetworkLimit
//     scans per network every ten minutes are recorded; further scans are
//     answered but not recorded, so a flood of lookups cannot convict a
//     genuine code of too many scans or of travel (finding 7).
const (
	defaultScanNetworkLimit     = 600
	defaultScanCodeLimit        = 10
	defaultScanCodeNetworkLimit = 3
	// maxLimiterKeys bounds each window's map: past it, new networks are
	// treated as over the limit and new codes' scans are not recorded.
	maxLimiterKeys = 200_000
)

// windowCounter counts events per key in fixed windows of one length.
type windowCounter struct {
	every  time.Duration
	mu     sync.Mutex
	start  time.Time
	counts map[string]int
}

// add counts n (0 or 1) for key at now and returns the key's count in the
// current window and when the window ends; full reports that the window
// holds maxLimiterKeys keys and key is not one of them.
func (c *windowCounter) add(key string, n int, now time.Time) (count int, ends time.Time, full bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil || now.Sub(c.start) >= c.every || now.Before(c.start) {
		c.start, c.counts = now, map[string]int{}
	}
	v, ok := c.counts[key]
	if !ok && len(c.counts) >= maxLimiterKeys {
		return 0, c.start.Add(c.every), true
	}
	v += n
	c.counts[key] = v
	return v, c.start.Add(c.every), false
}

// peek returns key's count in the current window without counting.
func (c *windowCounter) peek(key string, now time.Time) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil || now.Sub(c.start) >= c.every || now.Before(c.start) {
		return 0
	}
	return c.counts[key]
}

// scanGuard holds the scan page's per-network and per-code limits.
type scanGuard struct {
	networkLimit, unknownLimit  int
	codeLimit, codeNetworkLimit int
	lookups, unknown            windowCounter // per network, a minute
	codeScans, codeNetworkScans windowCounter // per code a minute; per code and network ten minutes
}

func newScanGuard(cfg Config) *scanGuard {
	g := &scanGuard{networkLimit: cfg.ScanNetworkLimit, unknownLimit: cfg.UnknownCodeLimit,
		codeLimit: cfg.ScanCodeLimit, codeNetworkLimit: cfg.ScanCodeNetworkLimit}
	set := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	set(&g.networkLimit, defaultScanNetworkLimit)
	set(&g.unknownLimit, 30)
	set(&g.codeLimit, defaultScanCodeLimit)
	set(&g.codeNetworkLimit, defaultScanCodeNetworkLimit)
	g.lookups.every, g.unknown.every = time.Minute, time.Minute
	g.codeScans.every, g.codeNetworkScans.every = time.Minute, 10*time.Minute
	return g
}

// lookup counts one lookup by network at now and reports whether the
// network is within its limits, and otherwise until when it is not.
func (g *scanGuard) lookup(network string, now time.Time) (time.Time, bool) {
	n, ends, full := g.lookups.add(network, 1, now)
	u := g.unknown.peek(network, now)
	if full || n > g.networkLimit || u > g.unknownLimit {
		return ends, false
	}
	return time.Time{}, true
}

// unknownCode counts one use of an unknown code by network: false once the
// network is over UnknownCodeLimit.
func (g *scanGuard) unknownCode(network string, now time.Time) (time.Time, bool) {
	u, ends, full := g.unknown.add(network, 1, now)
	return ends, !full && u <= g.unknownLimit
}

// recordable counts one scan of the label with hash from network and
// reports whether it is within the per-code limits and should be recorded.
func (g *scanGuard) recordable(hash [32]byte, network string, now time.Time) bool {
	code := string(hash[:])
	n, _, full := g.codeScans.add(code, 1, now)
	m, _, full2 := g.codeNetworkScans.add(code+network, 1, now)
	return !full && !full2 && n <= g.codeLimit && m <= g.codeNetworkLimit
}

// limitLookup counts one lookup of a code (known or not) by the client's
// network: nil within the limits, else ERATELIMIT with Retry-After set.
func (s *Server) limitLookup(w http.ResponseWriter, r *http.Request) error {
	now := s.clock.Now()
	if ends, ok := s.scanLimits.lookup(clientPrefix(r), now); !ok {
		return rateLimited(w, ends.Sub(now))
	}
	return nil
}

// rateLimited sets Retry-After and returns the one error every
// rate-limited lookup answers, known code or not.
func rateLimited(w http.ResponseWriter, wait time.Duration) error {
	w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
	return tracegate.Errorf(tracegate.ERATELIMIT, "too many lookups from your network; try again later")
}

// answerRateLimited answers a rate-limited lookup: the same whether the
// code exists or not (a problem for JSON clients, the empty scan page for
// browsers).
func (s *Server) answerRateLimited(w http.ResponseWriter, r *http.Request, err error, lang string) {
	s.metrics.scans.WithLabelValues("rate_limited").Inc()
	if r.Method != http.MethodGet || strings.Contains(r.Header.Get("Accept"), "json") {
		s.writeError(w, r, err)
		return
	}
	if err := writeScanPage(w, http.StatusTooManyRequests, &scanPage{Lang: lang, Path: r.URL.Path}); err != nil {
		s.log.ErrorContext(r.Context(), "render scan page", "err", err)
	}
}
