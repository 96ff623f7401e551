package console

import (
	"net/http"
	"strconv"
	"time"

	"tracegate"
	"tracegate/customs"
	"tracegate/risk"
)

// The officers' queues: the customs manual reviews to resolve and the risk
// warnings to confirm or dismiss. Each item is a form of its own: without
// JavaScript it posts and the queue is shown again; with htmx only the
// item is replaced by its outcome. The review queue is keyboard-driven
// (console.js: j/k move between reviews, p releases, r refuses).

type reviewItem struct {
	customs.Review
	Age   string // a catalog key (console.age.*)
	Error string // the refusal of the officer's last attempt
	Done  *customs.ResolvedReview
}

type reviewsData struct {
	Reviews []reviewItem
	Done    string // the order number just resolved (no JavaScript)
}

// ageKey is the catalog key of a review's time in the queue.
func ageKey(d time.Duration) string {
	switch {
	case d < time.Hour:
		return "console.age.1h"
	case d < 4*time.Hour:
		return "console.age.4h"
	case d < 24*time.Hour:
		return "console.age.24h"
	case d < 72*time.Hour:
		return "console.age.3d"
	}
	return "console.age.more"
}

func (c *Console) reviewItems(q *req) ([]reviewItem, error) {
	list, err := c.cfg.Customs.Reviews(q.r.Context(), 200)
	if err != nil {
		return nil, err
	}
	now := c.clock.Now()
	out := make([]reviewItem, 0, len(list))
	for _, r := range list {
		out = append(out, reviewItem{Review: r, Age: ageKey(now.Sub(r.DecidedAt))})
	}
	return out, nil
}

func (c *Console) handleReviews(q *req) error {
	items, err := c.reviewItems(q)
	if err != nil {
		return err
	}
	c.render(q, http.StatusOK, "reviews", "console.reviews.title", reviewsData{Reviews: items, Done: q.r.URL.Query().Get("done")})
	return nil
}

// handleReviewResolve releases or refuses one review. A refusal of the
// service (no reason, already resolved) shows the review again with the
// reason and stores nothing.
func (c *Console) handleReviewResolve(q *req) error {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return errNotFound
	}
	res := customs.ReviewResolution{Decision: customs.Outcome(q.r.PostFormValue("decision")), Reason: q.r.PostFormValue("reason")}
	done, err := c.cfg.Customs.ResolveReview(q.r.Context(), id, customs.Officer{EnterpriseID: q.p.EnterpriseID, USCC: q.p.USCC, KeyID: q.p.KeyID}, res)
	if err != nil {
		if !userError(err) {
			return err
		}
		items, lerr := c.reviewItems(q)
		if lerr != nil {
			return lerr
		}
		item := reviewItem{Review: customs.Review{ID: id}, Error: tracegate.ErrorMessage(err)}
		for i := range items {
			if items[i].ID == id {
				items[i].Error = item.Error
				item = items[i]
			}
		}
		status, _, _ := c.cfg.Status(err)
		if q.htmx() {
			c.renderPart(q, status, "reviews", "review", item)
			return nil
		}
		c.render(q, status, "reviews", "console.reviews.title", reviewsData{Reviews: items})
		return nil
	}
	c.audit(q.r.Context(), q.user, "reviews", "resolve-"+string(res.Decision), done.EbpCode+"/"+done.OrderNo)
	if q.htmx() {
		c.renderPart(q, http.StatusOK, "reviews", "review", reviewItem{Review: customs.Review{ID: id, EbpCode: done.EbpCode, OrderNo: done.OrderNo}, Done: done})
		return nil
	}
	http.Redirect(q.w, q.r, "/console/reviews?done="+done.OrderNo, http.StatusSeeOther)
	return nil
}

// userError reports whether err is the caller's to fix (shown on the
// form), not the server's.
func userError(err error) bool {
	switch tracegate.ErrorCode(err) {
	case tracegate.EINVALID, tracegate.ECONFLICT, tracegate.ENOTFOUND:
		return true
	}
	return false
}

type warningsData struct {
	Status   risk.WarningStatus
	Statuses []risk.WarningStatus
	Warnings []warningItem
	Kinds    []string
}

type warningItem struct {
	risk.Warning
	Error string
	Kinds []string
}

func (c *Console) handleWarnings(q *req) error {
	st := risk.WarningStatus(q.r.URL.Query().Get("status"))
	if st == "" {
		st = risk.WarningOpen
	}
	ws, err := c.cfg.Risk.Warnings(q.r.Context(), risk.WarningFilter{Status: st, Limit: 200})
	if err != nil {
		return err
	}
	items := make([]warningItem, len(ws))
	for i, w := range ws {
		items[i] = warningItem{Warning: w, Kinds: risk.MeasureKinds}
	}
	c.render(q, http.StatusOK, "warnings", "console.warnings.title", warningsData{Status: st, Statuses: risk.WarningStatuses, Warnings: items, Kinds: risk.MeasureKinds})
	return nil
}

// handleWarningDecide confirms (drafting a measure) or dismisses one open
// warning.
func (c *Console) handleWarningDecide(q *req) error {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return errNotFound
	}
	ctx := q.r.Context()
	action := q.r.PathValue("action")
	switch action {
	case "confirm":
		_, err = c.cfg.Risk.Confirm(ctx, *q.p, id, risk.ConfirmRequest{Measure: q.r.PostFormValue("measure"), Note: q.r.PostFormValue("note")})
	case "dismiss":
		_, err = c.cfg.Risk.Dismiss(ctx, *q.p, id, q.r.PostFormValue("note"))
	default:
		return errNotFound
	}
	if err != nil && !userError(err) {
		return err
	}
	v, verr := c.cfg.Risk.Warning(ctx, id)
	if verr != nil {
		return verr
	}
	item := warningItem{Warning: v.Warning, Kinds: risk.MeasureKinds}
	status := http.StatusOK
	if err != nil {
		item.Error = tracegate.ErrorMessage(err)
		status, _, _ = c.cfg.Status(err)
	} else {
		c.audit(ctx, q.user, "warnings", action+"-warning", v.Subject.String())
	}
	if q.htmx() {
		c.renderPart(q, status, "warnings", "warning", item)
		return nil
	}
	if err != nil {
		c.render(q, status, "warnings", "console.warnings.title", warningsData{Status: risk.WarningOpen, Statuses: risk.WarningStatuses, Warnings: []warningItem{item}, Kinds: risk.MeasureKinds})
		return nil
	}
	http.Redirect(q.w, q.r, "/console/warnings", http.StatusSeeOther)
	return nil
}
