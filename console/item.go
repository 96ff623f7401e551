package console

import (
	"context"
	"errors"
	"net/http"

	"tracegate"
	"tracegate/customs"
	"tracegate/label"
)

// The item view: what the scan page shows of one label, tiered by the
// viewer's role (label.BuildScanView over the server's label.Resolver) —
// the 21 items, the trace as a timeline, the notices of the measures in
// force, the scans and the clone verdict — and its ledger proof, which
// console.js verifies in the page: it fetches the proof and the log's key
// and checks, with the browser's own SHA-256 and Ed25519, that the leaf
// holds the code's commitment, that the proof leads from the leaf to the
// checkpoint's root and that the checkpoint is signed by the key. The
// console's view records no scan.

// items is the resolver and buyer rule the server shares (web.ItemViews).
type items struct {
	resolver  *label.Resolver
	seesBuyer func(*tracegate.Principal) func(context.Context, customs.Parties) (bool, error)
}

// UseItems takes the server's resolver (web.ItemViews).
func (c *Console) UseItems(r *label.Resolver, seesBuyer func(*tracegate.Principal) func(context.Context, customs.Parties) (bool, error)) {
	c.items = &items{resolver: r, seesBuyer: seesBuyer}
}

type itemData struct {
	View    label.ScanView
	Compact string
	Scans   int
}

func (c *Console) handleItem(q *req) error {
	if c.items == nil || c.items.resolver == nil {
		return tracegate.Errorf(tracegate.EUNAVAILABLE, "this server shows no items")
	}
	ctx := q.r.Context()
	code, st, err := c.items.resolver.Find(ctx, q.r.PathValue("code"))
	if errors.Is(err, label.ErrNotGenuine) {
		return tracegate.Errorf(tracegate.ENOTFOUND, "no label has the code %q", q.r.PathValue("code"))
	} else if err != nil {
		return err
	}
	now := c.clock.Now().UTC()
	req := label.ScanRequest{Code: code, State: st, Viewer: label.ViewerFrom(q.p), Now: now}
	if c.items.seesBuyer != nil {
		req.SeesBuyer = c.items.seesBuyer(q.p)
	}
	in, err := c.items.resolver.Resolve(ctx, req)
	if err != nil {
		return err
	}
	view := label.BuildScanView(*in, req.Viewer, q.lang.String(), now)
	c.render(q, http.StatusOK, "item", "console.item.title", itemData{View: view, Compact: code.Compact(), Scans: len(in.Scans)})
	return nil
}
