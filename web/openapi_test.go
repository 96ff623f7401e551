package web

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"tracegate/store/sqlite"
)

// TestOpenAPICoversRoutes fails when a registered route is missing from the
// OpenAPI document, or the document names an operation no route serves.
func TestOpenAPICoversRoutes(t *testing.T) {
	s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "o.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := New(Config{Store: s})
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	registered := map[string]bool{}
	for _, rt := range srv.routes {
		p := openAPIPath(rt.Path)
		m := strings.ToLower(rt.Method)
		registered[m+" "+p] = true
		if _, ok := doc.Paths[p][m]; !ok {
			t.Errorf("route %s is missing from openapi.json (want paths[%q][%q])", rt.Pattern(), p, m)
		}
	}
	for p, ops := range doc.Paths {
		for m := range ops {
			if m == "parameters" {
				continue
			}
			if !registered[m+" "+p] {
				t.Errorf("openapi.json documents %s %s, which no route serves", m, p)
			}
		}
	}
}
