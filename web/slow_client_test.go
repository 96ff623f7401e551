package web

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// serveLoopback serves srv on 127.0.0.1 until the test ends and returns
// its address.
func serveLoopback(t *testing.T, srv *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve() = %v", err)
		}
	})
	return ln.Addr().String()
}

// dialFrom opens a TCP connection to addr from the loopback address from.
func dialFrom(t *testing.T, from, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 2 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial from %s: %v", from, err)
	}
	return c
}

// closedWithin reports whether the server closes c within d (a read
// returns EOF or a reset), discarding whatever it answers.
func closedWithin(c net.Conn, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, c)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return false
	}
	return true
}

func TestDefaultConnectionLimitsAreShort(t *testing.T) {
	if DefaultReadHeaderTimeout > 10*time.Second || DefaultBodyIdleTimeout > 30*time.Second || DefaultBodyMinRate <= 0 || DefaultMaxConnsPerClient <= 0 {
		t.Fatalf("defaults %v %v %d %d; want short header and body deadlines, a minimum rate and a per-client cap",
			DefaultReadHeaderTimeout, DefaultBodyIdleTimeout, DefaultBodyMinRate, DefaultMaxConnsPerClient)
	}
}

// TestSlowClientsAreDropped: slow-header and slow-body connections are
// closed within about a second (not held for the 5-minute read timeout),
// a client address over its connection cap is refused at once, and a
// normal client is served throughout (issue 11, finding 18). Loopback
// only, 50 connections at most.
func TestSlowClientsAreDropped(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		codes := f.boundLabels(t, "9421902960031", 1, true)
		srv := New(Config{Store: s, Labels: f.labels, ReadHeaderTimeout: 300 * time.Millisecond,
			BodyIdleTimeout: 300 * time.Millisecond, MaxConnsPerClient: 20})
		addr := serveLoopback(t, srv)

		// 10 slow headers and 10 slow bodies from 127.0.0.1.
		var conns []net.Conn
		for i := range 20 {
			c := dialFrom(t, "127.0.0.1", addr)
			defer c.Close()
			if i < 10 {
				fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n") // never finished
			} else {
				fmt.Fprintf(c, "POST /l/%s/complaints HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\ncategory=", codes[0])
			}
			conns = append(conns, c)
		}
		stop := make(chan struct{})
		var trickle sync.WaitGroup
		for _, c := range conns[10:] {
			trickle.Add(1)
			go func() { // a byte every 100 ms: each read comes within the idle timeout
				defer trickle.Done()
				for range 30 {
					select {
					case <-stop:
						return
					case <-time.After(100 * time.Millisecond):
					}
					if _, err := c.Write([]byte("q")); err != nil {
						return
					}
				}
			}()
		}
		// A normal client on another address is served meanwhile.
		client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DialContext: (&net.Dialer{
			LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}).DialContext}}
		defer client.CloseIdleConnections()
		resp, err := client.Get("http://" + addr + "/l/" + codes[0])
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("normal request during the slow ones = %v %v", resp, err)
		}
		resp.Body.Close()

		start := time.Now()
		var wg sync.WaitGroup
		held := make([]bool, len(conns))
		for i, c := range conns {
			wg.Add(1)
			go func() { defer wg.Done(); held[i] = !closedWithin(c, 3*time.Second) }()
		}
		wg.Wait()
		close(stop)
		trickle.Wait()
		for i, h := range held {
			if h {
				t.Errorf("slow connection %d still open after %v", i, time.Since(start))
			}
		}

		// The connection cap: 25 idle connections from 127.0.0.3, 5 refused at once.
		var idle []net.Conn
		for range 25 {
			c := dialFrom(t, "127.0.0.3", addr)
			defer c.Close()
			idle = append(idle, c)
		}
		closed := make([]bool, len(idle))
		for i, c := range idle { // in parallel, well within the 300 ms header timeout
			wg.Add(1)
			go func() { defer wg.Done(); closed[i] = closedWithin(c, 100*time.Millisecond) }()
		}
		wg.Wait()
		refused := 0
		for _, c := range closed {
			if c {
				refused++
			}
		}
		if refused != 5 {
			t.Errorf("%d of 25 connections from one address refused at once; want 5 (cap 20)", refused)
		}
		if resp, err := client.Get("http://" + addr + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("normal request with another client at its cap = %v %v", resp, err)
		} else {
			resp.Body.Close()
		}
	})
}

// TestBodyDeadlineLiftedAfterBody: once a body is read to its end, a
// handler may take longer than the body idle timeout without its request
// being cut off (the deadline only guards the body's arrival).
func TestBodyDeadlineLiftedAfterBody(t *testing.T) {
	h := bodyDeadlines(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		time.Sleep(400 * time.Millisecond) // past the 150 ms idle timeout
		if err := r.Context().Err(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		io.WriteString(w, "done")
	}), 150*time.Millisecond, DefaultBodyMinRate)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: h}
	go hs.Serve(ln)
	defer hs.Close()
	resp, err := http.Post("http://"+ln.Addr().String()+"/", "text/plain", strings.NewReader(strings.Repeat("x", 100_000)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || string(b) != "done" {
		t.Fatalf("slow handler after a full body = %d %s; want 200 done", resp.StatusCode, b)
	}
}
