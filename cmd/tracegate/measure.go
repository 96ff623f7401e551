package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"tracegate"
	"tracegate/measure"
)

// openMeasures is the measure service over s.
func openMeasures(s interface {
	measure.Store
	tracegate.EnterpriseStore
	tracegate.ProductStore
}) (*measure.Service, error) {
	return measure.NewService(measure.Config{Enterprises: s, Products: s}, s)
}

// measureCommands are the measure subcommands, over a server's API.
func measureCommands() []*command {
	return []*command{
		{name: "order", summary: "order a measure (regulator), or start a voluntary stop_sale or recall of your own products", run: runMeasureOrder},
		{name: "list", summary: "list the measures your key may see", run: runMeasureList},
		{name: "show", summary: "print one measure with its history (and, for the regulator and owner, who has acknowledged it)", run: runMeasureShow},
	}
}

// apiFlags adds --server and --key to fs.
func apiFlags(e *env, fs *flag.FlagSet) (server, key *string) {
	server = fs.String("server", envOr(e, "TRACEGATE_SERVER", "http://127.0.0.1:8080"), "server base URL (env TRACEGATE_SERVER)")
	key = fs.String("key", envOr(e, "TRACEGATE_KEY", ""), "API key (env TRACEGATE_KEY)")
	return server, key
}

func runMeasureOrder(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "measure order", "", "Order a measure over the goods a selector names, and print it as JSON. A regulator orders any kind\nfor any enterprise's goods (--owner is required); an enterprise may start a voluntary stop_sale\nor recall of its own products. Each selector flag given must match.")
	server, key := apiFlags(e, fs)
	kind := fs.String("kind", "", "risk_notice, stop_sale, warehouse_lock, recall or return_destroy")
	owner := fs.String("owner", "", "USCC of the enterprise that must carry it out")
	reason := fs.String("reason", "", "the reason, in Chinese")
	reasonEn := fs.String("reason-en", "", "the reason, in English")
	deadline := fs.String("deadline", "", "optional deadline, RFC 3339")
	signal := fs.String("signal", "", "optional id of the risk signal or warning it answers")
	var sel tracegate.Selector
	for _, f := range []struct {
		name, usage string
		v           *string
	}{{"gtin", "selector: GTIN", &sel.GTIN}, {"batch", "selector: batch/lot (with --gtin)", &sel.Batch}, {"hs-prefix", "selector: HS code prefix", &sel.HSPrefix},
		{"origin", "selector: ISO 3166 alpha-2 origin", &sel.Origin}, {"manufacturer", "selector: manufacturer", &sel.Manufacturer},
		{"enterprise", "selector: USCC of the products' filer", &sel.Enterprise}, {"container", "selector: SSCC, EPC URN or Digital Link of a container", &sel.Container},
		{"warehouse", "selector: location identifier of the warehouse", &sel.Warehouse}, {"produced-from", "selector: production date from (YYYY-MM-DD)", &sel.ProducedFrom},
		{"produced-to", "selector: production date to (YYYY-MM-DD)", &sel.ProducedTo}} {
		fs.StringVar(f.v, f.name, "", f.usage)
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	body := map[string]any{"kind": *kind, "selector": sel, "owner": *owner, "reason": *reason, "reasonEn": *reasonEn}
	if *deadline != "" {
		body["deadline"] = *deadline
	}
	if *signal != "" {
		body["signal"] = *signal
	}
	return apiCall(ctx, e, *server, *key, "POST", "/api/measures", body)
}

func runMeasureList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "measure list", "", "List the measures your key may see, newest first, as JSON.")
	server, key := apiFlags(e, fs)
	status := fs.String("status", "", "only this status")
	kind := fs.String("kind", "", "only this kind")
	owner := fs.String("owner", "", "only this owner (USCC)")
	if err := parse(fs, args); err != nil {
		return err
	}
	q := url.Values{}
	for k, v := range map[string]string{"status": *status, "kind": *kind, "owner": *owner} {
		if v != "" {
			q.Set(k, v)
		}
	}
	path := "/api/measures"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	return apiCall(ctx, e, *server, *key, "GET", path, nil)
}

func runMeasureShow(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "measure show", "ID", "Print one measure with its history as JSON.")
	server, key := apiFlags(e, fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return tracegate.Invalidf("ID", "give one measure ID")
	}
	return apiCall(ctx, e, *server, *key, "GET", "/api/measures/"+url.PathEscape(fs.Arg(0)), nil)
}

// apiCall sends body (JSON, when not nil) to the server with the key and
// prints the JSON answer; an answer other than 2xx is an error carrying
// the problem's detail.
func apiCall(ctx context.Context, e *env, server, key, method, path string, body any) error {
	if key == "" {
		return tracegate.Invalidf("--key", "give --key (or TRACEGATE_KEY)")
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(server, "/")+path, rd)
	if err != nil {
		return tracegate.Invalidf("--server", "%v", err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		return tracegate.Errorf(tracegate.EUNAVAILABLE, "%s: %v", server, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		var p struct{ Detail, Pointer string }
		json.Unmarshal(out, &p)
		if p.Detail == "" {
			p.Detail = strings.TrimSpace(string(out))
		}
		if p.Pointer != "" {
			p.Detail += " (at " + p.Pointer + ")"
		}
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, p.Detail)
	}
	var v any
	if err := json.Unmarshal(out, &v); err != nil {
		return fmt.Errorf("%s %s: the answer is not JSON: %w", method, path, err)
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
