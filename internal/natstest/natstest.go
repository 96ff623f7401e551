// Package natstest runs a private nats-server (the machine's binary) for
// tests that must stop and restart NATS without touching the shared
// server at TRACEGATE_TEST_NATS.
package natstest

import (
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// Server is a nats-server with JetStream on a free loopback port, its store
// in a directory of the test's own, so a restart keeps the streams.
type Server struct {
	t    testing.TB
	bin  string
	port int
	dir  string
	cmd  *exec.Cmd
}

// New returns a stopped server, skipping the test when TRACEGATE_TEST_NATS
// is unset (the switch of every NATS test) and failing it when it is set
// but no nats-server binary is found. The server is killed at the end of
// the test.
func New(t testing.TB) *Server {
	t.Helper()
	if os.Getenv("TRACEGATE_TEST_NATS") == "" {
		t.Skip("TRACEGATE_TEST_NATS not set")
	}
	bin, err := exec.LookPath("nats-server")
	if err != nil {
		if _, err2 := os.Stat("/usr/sbin/nats-server"); err2 != nil {
			t.Fatalf("TRACEGATE_TEST_NATS is set but no nats-server binary is found: %v", err)
		}
		bin = "/usr/sbin/nats-server"
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &Server{t: t, bin: bin, port: port, dir: t.TempDir()}
	t.Cleanup(s.Stop)
	return s
}

// URL is the server's client URL.
func (s *Server) URL() string { return "nats://127.0.0.1:" + strconv.Itoa(s.port) }

// Start runs the server and waits until it accepts connections (5 s).
func (s *Server) Start() {
	s.t.Helper()
	s.cmd = exec.Command(s.bin, "-a", "127.0.0.1", "-p", strconv.Itoa(s.port), "-js", "-sd", s.dir)
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	for range 100 {
		if c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(s.port)); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatal("nats-server did not come up")
}

// Stop kills the server (as a crash would) and waits for it to exit.
func (s *Server) Stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
		s.cmd = nil
	}
}
