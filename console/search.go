package console

import (
	"errors"
	"net/http"
	"strings"

	"tracegate"
	"tracegate/gs1"
	"tracegate/label"
	"tracegate/measure"
	"tracegate/risk"
)

// Search finds what a query names, grouped by kind: a label code (or its
// scan URL) opens the item; a GTIN, optionally with a batch ("GTIN/BATCH"
// or "GTIN BATCH"), shows the goods' stock and the measures on them that
// the caller may see; a USCC or part of a name shows enterprises (to a
// regulator). Each kind is asked of its own service.

type searchData struct {
	Q           string
	Item        string // the compact code of the label found
	Goods       *risk.Stock
	Measures    []*measure.Measure
	Enterprises []*tracegate.Enterprise
	Searched    bool
}

func (c *Console) handleSearch(q *req) error {
	d := searchData{Q: strings.TrimSpace(q.r.URL.Query().Get("q"))}
	if len(d.Q) > 200 {
		return tracegate.Invalidf("/q", "a search is at most 200 characters")
	}
	if d.Q != "" {
		d.Searched = true
		if err := c.search(q, &d); err != nil {
			return err
		}
	}
	if d.Item != "" && d.Goods == nil && len(d.Enterprises) == 0 {
		http.Redirect(q.w, q.r, "/console/items/"+d.Item, http.StatusSeeOther)
		return nil
	}
	c.render(q, http.StatusOK, "search", "console.search.title", d)
	return nil
}

func (c *Console) search(q *req, d *searchData) error {
	ctx := q.r.Context()
	if c.items != nil && c.items.resolver != nil {
		code, _, err := c.items.resolver.Find(ctx, codeOf(d.Q))
		switch {
		case err == nil:
			d.Item = code.Compact()
		case !errors.Is(err, label.ErrNotGenuine):
			return err
		}
	}
	gtin, batch, _ := strings.Cut(strings.Join(strings.Fields(strings.ReplaceAll(d.Q, "/", " ")), " "), " ")
	if g, err := gs1.NormalizeGTIN(gtin); err == nil && len(gtin) >= 8 {
		if c.cfg.Risk != nil {
			st, err := c.cfg.Risk.Stock(ctx, *q.p, g, batch)
			if err != nil && !userError(err) {
				return err
			}
			d.Goods = st
		}
		if c.cfg.Measures != nil {
			ms, err := c.cfg.Measures.List(ctx, q.p, measure.Filter{Limit: 500})
			if err != nil {
				return err
			}
			for _, m := range ms {
				if m.Selector.GTIN == g && (batch == "" || m.Selector.Batch == "" || m.Selector.Batch == batch) {
					d.Measures = append(d.Measures, m)
				}
			}
		}
	}
	if !q.regulator() {
		return nil
	}
	if u, err := tracegate.ValidateUSCC(d.Q); err == nil {
		e, err := c.store.FindEnterpriseByUSCC(ctx, u)
		if err == nil {
			d.Enterprises = append(d.Enterprises, e)
		} else if !tracegate.IsCode(err, tracegate.ENOTFOUND) {
			return err
		}
		return nil
	}
	if len([]rune(d.Q)) < 2 {
		return nil
	}
	es, err := c.store.ListEnterprises(ctx, tracegate.EnterpriseFilter{})
	if err != nil {
		return err
	}
	lq := strings.ToLower(d.Q)
	for _, e := range es {
		if strings.Contains(strings.ToLower(e.Name), lq) || strings.Contains(e.USCC, strings.ToUpper(d.Q)) {
			d.Enterprises = append(d.Enterprises, e)
		}
	}
	return nil
}
