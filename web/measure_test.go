package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"tracegate"
	"tracegate/bus"
	"tracegate/measure"
	"tracegate/store/storetest"
)

const measureGTIN = "09421902960031"

// measureDo sends a JSON request as role and checks the status.
func (f *fixture) measureDo(t *testing.T, role tracegate.Role, method, path, body string, want int) *httptest.ResponseRecorder {
	t.Helper()
	w := f.do(method, path, f.keys[role], "application/json", body)
	if w.Code != want {
		t.Fatalf("%s %s as %s = %d %s; want %d", method, path, role, w.Code, w.Body, want)
	}
	return w
}

func decodeMeasure(t *testing.T, w *httptest.ResponseRecorder) *measure.Measure {
	t.Helper()
	var m measure.Measure
	if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
		t.Fatalf("measure %s: %v", w.Body, err)
	}
	return &m
}

func problemPointer(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var p Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || w.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("problem %s (%s): %v", w.Body, w.Header().Get("Content-Type"), err)
	}
	return p.Pointer
}

func (f *fixture) measureIDs(t *testing.T, role tracegate.Role) []string {
	t.Helper()
	var l struct{ Measures []*measure.Measure }
	if err := json.Unmarshal(f.measureDo(t, role, "GET", "/api/measures", "", 200).Body.Bytes(), &l); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range l.Measures {
		ids = append(ids, m.ID)
	}
	return ids
}

// TestMeasureContract runs a recall through its workflow over HTTP: who may
// order it, who sees it, who moves it on, who acknowledges it, and the
// outbox messages each step writes for the owner and the holders.
func TestMeasureContract(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		f.boundLabels(t, measureGTIN, 3, false) // filed by the e-commerce enterprise, held by the warehouse
		owner, wh := f.ents[tracegate.RoleEcommerce], f.ents[tracegate.RoleWarehouse]
		order := `{"kind":"recall","selector":{"gtin":"9421902960031","batch":"LNZ26A"},"owner":"` + owner.USCC +
			`","reason":"检出阪崎肠杆菌","reasonEn":"Cronobacter found","deadline":"2099-01-01T00:00:00Z"}`
		w := f.measureDo(t, tracegate.RoleRegulator, "POST", "/api/measures", order, http.StatusCreated)
		m := decodeMeasure(t, w)
		if m.ID == "" || m.Status != measure.Ordered || m.Kind != measure.Recall || m.Selector.GTIN != measureGTIN ||
			m.Owner != owner.USCC || m.Reason != "检出阪崎肠杆菌" || m.CreatedAt.IsZero() || m.Voluntary ||
			w.Header().Get("Location") != "/api/measures/"+m.ID {
			t.Fatalf("ordered measure = %+v", m)
		}
		// Who sees it: the regulator, the owner, the warehouse holding the
		// goods; not the platform.
		for role, want := range map[tracegate.Role]bool{tracegate.RoleRegulator: true, tracegate.RoleEcommerce: true,
			tracegate.RoleWarehouse: true, tracegate.RolePlatform: false} {
			if got := slices.Contains(f.measureIDs(t, role), m.ID); got != want {
				t.Errorf("GET /api/measures as %s lists the recall: %v; want %v", role, got, want)
			}
			status := map[bool]int{true: 200, false: 404}[want]
			f.measureDo(t, role, "GET", "/api/measures/"+m.ID, "", status)
		}
		got := decodeMeasure(t, f.measureDo(t, tracegate.RoleRegulator, "GET", "/api/measures/"+m.ID, "", 200))
		slices.Sort(got.Pending)
		want := []string{owner.USCC, wh.USCC}
		slices.Sort(want)
		if !slices.Equal(got.Pending, want) || len(got.Acks) != 0 {
			t.Fatalf("pending acks = %v, acks %v; want %v", got.Pending, got.Acks, want)
		}
		// Acknowledgements: the warehouse acks once (twice changes nothing),
		// the regulator may not.
		f.measureDo(t, tracegate.RoleWarehouse, "POST", "/api/measures/"+m.ID+"/ack", `{"note":"已下架"}`, 200)
		f.measureDo(t, tracegate.RoleWarehouse, "POST", "/api/measures/"+m.ID+"/ack", "", 200)
		f.measureDo(t, tracegate.RoleRegulator, "POST", "/api/measures/"+m.ID+"/ack", "", 403)
		f.measureDo(t, tracegate.RolePlatform, "POST", "/api/measures/"+m.ID+"/ack", "", 404)
		got = decodeMeasure(t, f.measureDo(t, tracegate.RoleRegulator, "GET", "/api/measures/"+m.ID, "", 200))
		if len(got.Acks) != 1 || got.Acks[0].By != wh.USCC || got.Acks[0].Note != "已下架" || !slices.Equal(got.Pending, []string{owner.USCC}) {
			t.Fatalf("after the warehouse's ack: acks %+v pending %v", got.Acks, got.Pending)
		}
		if w := f.measureDo(t, tracegate.RoleWarehouse, "GET", "/api/measures/"+m.ID, "", 200); decodeMeasure(t, w).Acks != nil {
			t.Errorf("a holder sees the acks: %s", w.Body)
		}
		// The workflow, in order and by the right party.
		steps := []struct {
			role    tracegate.Role
			status  string
			code    int
			pointer string
		}{
			{tracegate.RoleRegulator, "in_progress", 403, "/status"},
			{tracegate.RoleEcommerce, "completed", 409, "/status"},
			{tracegate.RoleEcommerce, "shipped", 400, "/status"},
			{tracegate.RoleEcommerce, "in_progress", 200, ""},
			{tracegate.RoleWarehouse, "completed", 403, "/status"},
			{tracegate.RoleEcommerce, "completed", 200, ""},
			{tracegate.RoleEcommerce, "verified", 403, "/status"},
			{tracegate.RoleRegulator, "verified", 200, ""},
			{tracegate.RoleRegulator, "cancelled", 409, "/status"},
		}
		for _, st := range steps {
			w := f.measureDo(t, st.role, "POST", "/api/measures/"+m.ID+"/status", `{"status":"`+st.status+`","note":"n"}`, st.code)
			if st.pointer != "" {
				if p := problemPointer(t, w); p != st.pointer {
					t.Errorf("%s → %s: pointer %q; want %q", st.role, st.status, p, st.pointer)
				}
			}
		}
		got = decodeMeasure(t, f.measureDo(t, tracegate.RoleRegulator, "GET", "/api/measures/"+m.ID, "", 200))
		var path []measure.Status
		for _, tr := range got.History {
			path = append(path, tr.To)
		}
		if want := []measure.Status{"ordered", "in_progress", "completed", "verified"}; !slices.Equal(path, want) ||
			got.History[1].By != owner.USCC || got.History[3].By != f.ents[tracegate.RoleRegulator].USCC || got.History[1].Note != "n" {
			t.Fatalf("history = %+v; want %v", got.History, want)
		}
		// The outbox: ordered, ack, three status changes, each for the owner
		// and the holder.
		var subjects []string
		_, err := s.(bus.Outbox).RelayOutbox(context.Background(), 100, func(_ context.Context, msgs []bus.Message) (int, error) {
			for _, msg := range msgs {
				var n measure.Notice
				if err := json.Unmarshal(msg.Payload, &n); err != nil || n.Measure.ID != m.ID || n.Owner != owner.USCC ||
					!slices.Contains(n.Recipients, wh.USCC) || !slices.Contains(n.Recipients, owner.USCC) {
					t.Errorf("outbox message %s %s: %v", msg.Subject, msg.Payload, err)
				}
				subjects = append(subjects, msg.Subject)
			}
			return len(msgs), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"tracegate.measure.recall.ordered", "tracegate.measure.recall.ack", "tracegate.measure.recall.status",
			"tracegate.measure.recall.status", "tracegate.measure.recall.status"}; !slices.Equal(subjects, want) {
			t.Errorf("outbox subjects = %v; want %v", subjects, want)
		}
	})
}

// TestMeasureBadInput: each bad order is a problem pointing at the field,
// and nothing is stored.
func TestMeasureBadInput(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		f.fileProduct(t, measureGTIN)
		owner := f.ents[tracegate.RoleEcommerce].USCC
		other := f.ents[tracegate.RoleManufacturer]
		body := func(kind, sel, ownerUSCC string) string {
			return `{"kind":"` + kind + `","selector":` + sel + `,"owner":"` + ownerUSCC + `","reason":"原因","reasonEn":"why"}`
		}
		cases := []struct {
			name    string
			role    tracegate.Role
			body    string
			code    int
			pointer string
		}{
			{"empty selector", tracegate.RoleRegulator, body("recall", `{}`, owner), 400, "/selector"},
			{"no selector", tracegate.RoleRegulator, `{"kind":"recall","owner":"` + owner + `","reason":"r","reasonEn":"r"}`, 400, "/selector"},
			{"malformed gtin", tracegate.RoleRegulator, body("recall", `{"gtin":"123"}`, owner), 400, "/selector/gtin"},
			{"unknown selector field", tracegate.RoleRegulator, body("recall", `{"sku":"1"}`, owner), 400, "/selector"},
			{"unknown kind", tracegate.RoleRegulator, body("ban", `{"gtin":"9421902960031"}`, owner), 400, "/kind"},
			{"no reason", tracegate.RoleRegulator, `{"kind":"recall","selector":{"gtin":"9421902960031"},"owner":"` + owner + `","reasonEn":"r"}`, 400, "/reason"},
			{"unknown owner", tracegate.RoleRegulator, body("recall", `{"gtin":"9421902960031"}`, storetest.USCC(9999)), 400, "/owner"},
			{"past deadline", tracegate.RoleRegulator, `{"kind":"recall","selector":{"gtin":"9421902960031"},"owner":"` + owner + `","reason":"r","reasonEn":"r","deadline":"2001-01-01T00:00:00Z"}`, 400, "/deadline"},
			{"another's goods", tracegate.RoleManufacturer, body("recall", `{"gtin":"9421902960031"}`, other.USCC), 403, "/selector/gtin"},
			{"another's enterprise", tracegate.RoleManufacturer, body("stop_sale", `{"enterprise":"`+owner+`"}`, other.USCC), 403, "/selector/enterprise"},
			{"for another owner", tracegate.RoleEcommerce, body("recall", `{"gtin":"9421902960031"}`, other.USCC), 403, "/owner"},
			{"an enterprise's lock", tracegate.RoleEcommerce, body("warehouse_lock", `{"gtin":"9421902960031"}`, owner), 403, "/kind"},
		}
		for _, c := range cases {
			w := f.measureDo(t, c.role, "POST", "/api/measures", c.body, c.code)
			if p := problemPointer(t, w); p != c.pointer {
				t.Errorf("%s: pointer %q; want %q (%s)", c.name, p, c.pointer, w.Body)
			}
		}
		if ids := f.measureIDs(t, tracegate.RoleRegulator); len(ids) != 0 {
			t.Fatalf("bad orders stored measures %v", ids)
		}
		// A voluntary recall of one's own product is the owner's.
		w := f.measureDo(t, tracegate.RoleEcommerce, "POST", "/api/measures", body("recall", `{"gtin":"9421902960031"}`, ""), 201)
		if m := decodeMeasure(t, w); !m.Voluntary || m.Owner != owner || m.OrderedBy != owner {
			t.Fatalf("voluntary recall = %+v", m)
		}
	})
}

// TestMeasureRefusesBinding: intake under a recall of the batch and
// dispatch out of a locked warehouse are refused per code, naming the
// measure; another batch, and a cancelled measure, refuse nothing.
func TestMeasureRefusesBinding(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		codes := f.boundLabels(t, measureGTIN, 2, false) // at urn:epc:id:sgln:6901234.00020.0
		owner, wh := f.ents[tracegate.RoleEcommerce], f.ents[tracegate.RoleWarehouse]
		whKey := f.keys[tracegate.RoleWarehouse]
		lock := decodeMeasure(t, f.measureDo(t, tracegate.RoleRegulator, "POST", "/api/measures", `{"kind":"warehouse_lock","selector":{"warehouse":"urn:epc:id:sgln:6901234.00020.0"},"owner":"`+wh.USCC+`","reason":"锁仓","reasonEn":"locked"}`, 201))
		f.declareReleased(t, 0, "4401960001", "HG202611230001", "4401980002", "SF1234567890")
		d := map[string]any{"codes": codes, "ebpCode": "4401960001", "orderNo": "HG202611230001", "logisticsCode": "4401980002", "waybillNo": "SF1234567890"}
		w := f.do("POST", "/api/labels/dispatch", whKey, "application/json", jsonBody(d))
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), lock.ID) || problemDetails(t, w)["/codes/1"] == "" {
			t.Fatalf("dispatch out of a locked warehouse = %d %s; want 409 naming %s per code", w.Code, w.Body, lock.ID)
		}
		recall := decodeMeasure(t, f.measureDo(t, tracegate.RoleRegulator, "POST", "/api/measures", `{"kind":"recall","selector":{"gtin":"9421902960031","batch":"LNZ26A"},"owner":"`+owner.USCC+`","reason":"召回","reasonEn":"recall"}`, 201))
		fresh := f.requestLabels(t, whKey, 2)
		intake := map[string]any{"codes": fresh, "gtin": measureGTIN, "batch": "LNZ26A"}
		w = f.do("POST", "/api/labels/intake", whKey, "application/json", jsonBody(intake))
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), recall.ID) {
			t.Fatalf("intake under a recall = %d %s; want 409 naming %s", w.Code, w.Body, recall.ID)
		}
		intake["batch"] = "LNZ26B"
		if w := f.do("POST", "/api/labels/intake", whKey, "application/json", jsonBody(intake)); w.Code != http.StatusOK {
			t.Fatalf("intake of another batch = %d %s", w.Code, w.Body)
		}
		f.measureDo(t, tracegate.RoleRegulator, "POST", "/api/measures/"+lock.ID+"/status", `{"status":"cancelled","note":"解除"}`, 200)
		w = f.do("POST", "/api/labels/dispatch", whKey, "application/json", jsonBody(d))
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), recall.ID) || strings.Contains(w.Body.String(), lock.ID) {
			t.Fatalf("dispatch after the lock is lifted = %d %s; want the recall's refusal only", w.Code, w.Body)
		}
		f.measureDo(t, tracegate.RoleRegulator, "POST", "/api/measures/"+recall.ID+"/status", `{"status":"cancelled"}`, 200)
		if w := f.do("POST", "/api/labels/dispatch", whKey, "application/json", jsonBody(d)); w.Code != http.StatusOK {
			t.Fatalf("dispatch with no measure in force = %d %s", w.Code, w.Body)
		}
	})
}
