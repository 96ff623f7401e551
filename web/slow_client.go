package web

import (
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// Defenses against clients that hold connections open by sending slowly
// (issue 11, finding 18): a short deadline for the request header
// (Config.ReadHeaderTimeout), a body read deadline that moves with the body
// (each read must come within Config.BodyIdleTimeout, and after that grace
// the body must average Config.BodyMinRate bytes a second), and a cap on
// the connections one client address holds at once
// (Config.MaxConnsPerClient), enforced by the listener.
const (
	// DefaultReadHeaderTimeout is how long a client has to send a request
	// header.
	DefaultReadHeaderTimeout = 5 * time.Second
	// DefaultBodyIdleTimeout is the longest wait for the next bytes of a
	// request body.
	DefaultBodyIdleTimeout = 15 * time.Second
	// DefaultBodyMinRate is the slowest average a body may arrive at, in
	// bytes a second, once DefaultBodyIdleTimeout has passed: 1 KiB/s, a
	// 2 MB photo over a very poor mobile link.
	DefaultBodyMinRate = 1024
	// DefaultMaxConnsPerClient is how many connections one client address
	// (an IPv4 address, an IPv6 /64) may hold open at once.
	DefaultMaxConnsPerClient = 64
)

// bodyDeadlines wraps next so that a request body that stops arriving, or
// arrives slower than minRate after the grace of idle, fails its read and
// frees the connection. A request without a body is left alone (its
// handler may run as long as it needs). Once the body is read to its end
// the deadline is lifted, so a long handler is not cut off. Connections
// that do not support read deadlines (tests' recorders) are not affected.
func bodyDeadlines(next http.Handler, idle time.Duration, minRate int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
			next.ServeHTTP(w, r)
			return
		}
		rc := http.NewResponseController(w)
		b := &deadlineBody{rc: rc, body: r.Body, start: time.Now(), idle: idle, minRate: minRate}
		if rc.SetReadDeadline(b.start.Add(idle)) == nil { // also bounds a body the handler never reads
			r.Body = b
		}
		next.ServeHTTP(w, r)
	})
}

// deadlineBody moves the connection's read deadline before each read.
type deadlineBody struct {
	rc      *http.ResponseController
	body    io.ReadCloser
	start   time.Time
	n       int64
	idle    time.Duration
	minRate int64
	done    bool
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	if b.done {
		return b.body.Read(p)
	}
	now := time.Now()
	d := now.Add(b.idle)
	if b.minRate > 0 {
		due := b.start.Add(b.idle + time.Duration(float64(b.n)/float64(b.minRate)*float64(time.Second)))
		if due.Before(d) {
			d = due
		}
	}
	_ = b.rc.SetReadDeadline(d)
	n, err := b.body.Read(p)
	b.n += int64(n)
	if err != nil {
		b.done = true
		if err == io.EOF {
			_ = b.rc.SetReadDeadline(time.Time{})
		}
	}
	return n, err
}

func (b *deadlineBody) Close() error { return b.body.Close() }

// clientCapListener refuses (accepts and at once closes) a connection from
// a client address that already holds max.
type clientCapListener struct {
	net.Listener
	max     int
	refused func()
	mu      sync.Mutex
	open    map[netip.Prefix]int
}

// limitConnsPerClient wraps ln with a cap of max open connections per
// client address; refused, when set, is called for each refused one.
func limitConnsPerClient(ln net.Listener, max int, refused func()) net.Listener {
	return &clientCapListener{Listener: ln, max: max, refused: refused, open: map[netip.Prefix]int{}}
}

// clientKey is the IPv4 address or the IPv6 /64 of a connection's peer.
func clientKey(addr net.Addr) netip.Prefix {
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return netip.Prefix{}
	}
	a := ap.Addr().Unmap().WithZone("")
	bits := 32
	if a.Is6() {
		bits = 64
	}
	p, _ := a.Prefix(bits)
	return p
}

// Accept returns the next connection within the cap.
func (l *clientCapListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		key := clientKey(c.RemoteAddr())
		l.mu.Lock()
		if l.open[key] >= l.max {
			l.mu.Unlock()
			c.Close()
			if l.refused != nil {
				l.refused()
			}
			continue
		}
		l.open[key]++
		l.mu.Unlock()
		return &cappedConn{Conn: c, release: func() {
			l.mu.Lock()
			if l.open[key]--; l.open[key] <= 0 {
				delete(l.open, key)
			}
			l.mu.Unlock()
		}}, nil
	}
}

// cappedConn gives its slot back once, when closed.
type cappedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *cappedConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}

// connLimits are Serve's connection settings, defaults applied.
type connLimits struct {
	readHeader, bodyIdle time.Duration
	bodyMinRate          int64
	maxPerClient         int
}

func newConnLimits(cfg Config) connLimits {
	l := connLimits{readHeader: cfg.ReadHeaderTimeout, bodyIdle: cfg.BodyIdleTimeout, bodyMinRate: cfg.BodyMinRate, maxPerClient: cfg.MaxConnsPerClient}
	if l.readHeader <= 0 {
		l.readHeader = DefaultReadHeaderTimeout
	}
	if l.bodyIdle <= 0 {
		l.bodyIdle = DefaultBodyIdleTimeout
	}
	if l.bodyMinRate == 0 {
		l.bodyMinRate = DefaultBodyMinRate
	}
	if l.maxPerClient == 0 {
		l.maxPerClient = DefaultMaxConnsPerClient
	}
	return l
}
