package console

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"tracegate"
	"tracegate/measure"
)

// The measures screens, over measure.Service (which decides who sees and
// may do what): the list the caller may see, one measure with its history
// and acknowledgements, ordering one (a regulator: any kind on anyone's
// goods; an enterprise: a voluntary stop-sale or recall of its own), and
// the workflow's steps (acknowledge, start, complete, verify, cancel).

type measuresData struct {
	Measures []*measure.Measure
	Status   measure.Status
	Statuses []measure.Status
	Kinds    []measure.Kind
	Form     orderForm
	Error    string
}

type orderForm struct {
	Kind, GTIN, Batch, Owner, Reason, Deadline string
}

var measureStatuses = []measure.Status{measure.Draft, measure.Ordered, measure.InProgress, measure.Completed, measure.Verified, measure.Cancelled}

func (c *Console) measuresPage(q *req, status int, f orderForm, msg string) error {
	st := measure.Status(q.r.URL.Query().Get("status"))
	ms, err := c.cfg.Measures.List(q.r.Context(), q.p, measure.Filter{Status: st, Limit: 200})
	if err != nil {
		return err
	}
	kinds := measure.Kinds
	if !q.regulator() {
		kinds = []measure.Kind{measure.Recall, measure.StopSale}
	}
	c.render(q, status, "measures", "console.measures.title", measuresData{Measures: ms, Status: st, Statuses: measureStatuses, Kinds: kinds, Form: f, Error: msg})
	return nil
}

func (c *Console) handleMeasures(q *req) error {
	return c.measuresPage(q, http.StatusOK, orderForm{}, "")
}

// handleMeasureOrder orders a measure from the form; a refusal shows the
// form again with the service's reason and stores nothing.
func (c *Console) handleMeasureOrder(q *req) error {
	g := func(k string) string { return strings.TrimSpace(q.r.PostFormValue(k)) }
	f := orderForm{Kind: g("kind"), GTIN: g("gtin"), Batch: g("batch"), Owner: g("owner"), Reason: g("reason"), Deadline: g("deadline")}
	sel := map[string]string{}
	if f.GTIN != "" {
		sel["gtin"] = f.GTIN
	}
	if f.Batch != "" {
		sel["batch"] = f.Batch
	}
	raw, _ := json.Marshal(sel)
	req := &measure.OrderRequest{Kind: measure.Kind(f.Kind), Selector: raw, Owner: f.Owner, Reason: f.Reason, ReasonEn: f.Reason}
	var err error
	if f.Deadline != "" {
		d, perr := time.ParseInLocation("2006-01-02", f.Deadline, shanghai)
		if perr != nil {
			err = tracegate.Invalidf("/deadline", "the deadline is a date (YYYY-MM-DD)")
		}
		d = d.Add(24*time.Hour - time.Second)
		req.Deadline = &d
	}
	var m *measure.Measure
	if err == nil {
		m, err = c.cfg.Measures.Order(q.r.Context(), q.p, req)
	}
	if err != nil {
		if !userError(err) && tracegate.ErrorCode(err) != tracegate.EFORBIDDEN {
			return err
		}
		status, _, _ := c.cfg.Status(err)
		return c.measuresPage(q, status, f, tracegate.ErrorMessage(err))
	}
	c.audit(q.r.Context(), q.user, "measures", "order-"+string(m.Kind), m.ID)
	http.Redirect(q.w, q.r, "/console/measures/"+m.ID, http.StatusSeeOther)
	return nil
}

type measureData struct {
	M     *measure.Measure
	Next  []measure.Status // the steps the caller may try
	Error string
	Owner bool
}

func (c *Console) measurePage(q *req, status int, id, msg string) error {
	m, err := c.cfg.Measures.Get(q.r.Context(), q.p, id)
	if err != nil {
		return err
	}
	d := measureData{M: m, Error: msg, Owner: m.Owner == q.p.USCC}
	switch {
	case q.regulator() && m.Status == measure.Draft:
		d.Next = []measure.Status{measure.Ordered, measure.Cancelled}
	case q.regulator() && m.Status == measure.Completed:
		d.Next = []measure.Status{measure.Verified, measure.Cancelled}
	case q.regulator() && m.Status != measure.Verified && m.Status != measure.Cancelled:
		d.Next = []measure.Status{measure.Cancelled}
	case d.Owner && m.Status == measure.Ordered:
		d.Next = []measure.Status{measure.InProgress}
	case d.Owner && m.Status == measure.InProgress:
		d.Next = []measure.Status{measure.Completed}
	}
	c.render(q, status, "measure", "console.measure.title", d)
	return nil
}

func (c *Console) handleMeasure(q *req) error {
	return c.measurePage(q, http.StatusOK, q.r.PathValue("id"), "")
}

// handleMeasureStep acknowledges a measure or moves it along its workflow.
func (c *Console) handleMeasureStep(q *req) error {
	id, note := q.r.PathValue("id"), q.r.PostFormValue("note")
	var err error
	action := q.r.PathValue("step")
	if action == "ack" {
		_, err = c.cfg.Measures.Acknowledge(q.r.Context(), q.p, id, note)
	} else {
		_, err = c.cfg.Measures.Transition(q.r.Context(), q.p, id, measure.Status(action), note)
	}
	if err != nil {
		if tracegate.IsCode(err, tracegate.ENOTFOUND) || (!userError(err) && tracegate.ErrorCode(err) != tracegate.EFORBIDDEN) {
			return err
		}
		status, _, _ := c.cfg.Status(err)
		return c.measurePage(q, status, id, tracegate.ErrorMessage(err))
	}
	c.audit(q.r.Context(), q.user, "measures", "measure-"+action, id)
	http.Redirect(q.w, q.r, "/console/measures/"+id, http.StatusSeeOther)
	return nil
}
