package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"tracegate/bus"
	"tracegate/store/sqlite"
)

// TestReadyzBus checks that /readyz reports the bus: a node whose NATS is
// unreachable is degraded but still answers 200 (it keeps serving).
func TestReadyzBus(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "web.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	down, err := bus.NewNATS(ctx, bus.NATSConfig{URL: "nats://127.0.0.1:1"}) // nothing listens on port 1
	if err != nil {
		t.Fatal(err)
	}
	defer down.Close()
	tests := []struct {
		name string
		bus  bus.Bus
		want map[string]string
	}{
		{"no bus", nil, map[string]string{"status": "ready", "database": "ok"}},
		{"memory", bus.NewMemory(), map[string]string{"status": "ready", "database": "ok", "bus": "memory"}},
		{"nats down", down, map[string]string{"status": "degraded", "database": "ok", "bus": "nats", "nats": "unavailable"}},
	}
	if u := os.Getenv("TRACEGATE_TEST_NATS"); u != "" {
		up, err := bus.NewNATS(ctx, bus.NATSConfig{URL: u, Stream: "TEST_READYZ", Subjects: []string{"readyz.>"}})
		if err != nil {
			t.Fatal(err)
		}
		defer up.Close()
		tests = append(tests, struct {
			name string
			bus  bus.Bus
			want map[string]string
		}{"nats up", up, map[string]string{"status": "ready", "database": "ok", "bus": "nats", "nats": "ok"}})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := New(Config{Store: s, Logger: slog.New(slog.DiscardHandler), Bus: tt.bus})
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, httptest.NewRequest("GET", "/readyz", nil))
			var got map[string]string
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != 200 {
				t.Fatalf("GET /readyz = %d %s, want 200 JSON", w.Code, w.Body)
			}
			if len(got) != len(tt.want) {
				t.Errorf("GET /readyz = %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("GET /readyz %s = %q, want %q (body %v)", k, got[k], v, got)
				}
			}
		})
	}
}
