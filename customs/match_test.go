package customs

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"tracegate"
)

func TestMatchStateWaitingAndTimeout(t *testing.T) {
	d := cleanDecl(t)
	docs := d.Documents()
	t0 := time.Date(2026, 11, 23, 10, 0, 0, 0, chinaTime)
	const timeout = 2 * time.Hour
	var s MatchState
	if s.TimedOut(t0.Add(100*time.Hour), timeout) || !s.Deadline(timeout).IsZero() {
		t.Error("an empty state timed out")
	}
	steps := []struct {
		kind    DocKind
		key     MatchKey
		at      time.Duration
		missing []DocKind
	}{
		{DocInventory, InventoryKey(&docs.Inventory.Head), 0, []DocKind{DocOrder, DocPayment, DocWaybill}},
		{DocOrder, OrderKey(&docs.Order.Head), 10 * time.Minute, []DocKind{DocPayment, DocWaybill}},
		{DocWaybill, WaybillKey(docs.Waybill), 30 * time.Minute, []DocKind{DocPayment}},
		{DocOrder, OrderKey(&docs.Order.Head), 40 * time.Minute, []DocKind{DocPayment}}, // sent again
	}
	for _, st := range steps {
		if err := s.Record(st.kind, st.key, t0.Add(st.at)); err != nil {
			t.Fatalf("Record(%s): %v", st.kind, err)
		}
		if got := s.Missing(); !reflect.DeepEqual(got, st.missing) {
			t.Errorf("after %s: Missing() = %v, want %v", st.kind, got, st.missing)
		}
	}
	if !s.OrderAt.Equal(t0.Add(10 * time.Minute)) {
		t.Errorf("OrderAt = %v, want the first arrival", s.OrderAt)
	}
	if got := s.Deadline(timeout); !got.Equal(t0.Add(timeout)) {
		t.Errorf("Deadline = %v, want %v", got, t0.Add(timeout))
	}
	if s.TimedOut(t0.Add(timeout-time.Second), timeout) || !s.TimedOut(t0.Add(timeout), timeout) {
		t.Error("TimedOut does not turn at the deadline")
	}

	// The state survives a JSON round trip (what a store would keep).
	js, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back MatchState
	if err := json.Unmarshal(js, &back); err != nil || !reflect.DeepEqual(back.Missing(), s.Missing()) || !back.Deadline(timeout).Equal(s.Deadline(timeout)) {
		t.Errorf("round trip of %s = %+v, %v", js, back, err)
	}

	// Screening follows the state: waiting, then refused at the timeout.
	deps := demoDeps(t)
	in := d.ScreeningInput()
	in.Documents.Payment = nil
	in.MatchTimedOut = s.TimedOut(t0.Add(time.Hour), timeout)
	if got := Screen(in, deps); got.Status != OutcomeWaiting {
		t.Errorf("before the deadline: %s, want waiting", got.Status)
	}
	in.MatchTimedOut = s.TimedOut(t0.Add(3*time.Hour), timeout)
	if got := Screen(in, deps); got.Status != OutcomeRefuse || got.Reasons[0].Rule != RuleTimeout {
		t.Errorf("after the deadline: %+v, want refused by three_docs.timeout", got)
	}

	if err := s.Record(DocPayment, PaymentKey(docs.Payment), t0.Add(50*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if !s.Complete() || s.Missing() != nil || s.TimedOut(t0.Add(100*time.Hour), timeout) {
		t.Errorf("complete state: Missing %v, TimedOut %v", s.Missing(), s.TimedOut(t0.Add(100*time.Hour), timeout))
	}
}

func TestMatchStateRecordErrors(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, chinaTime)
	s := MatchState{}
	if err := s.Record(DocOrder, MatchKey{EbpCode: "P1", OrderNo: "O1"}, at); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		kind DocKind
		key  MatchKey
		at   time.Time
		code string
	}{
		{"unknown kind", "receipt", MatchKey{EbpCode: "P1", OrderNo: "O1"}, at, tracegate.EINVALID},
		{"no time", DocPayment, MatchKey{EbpCode: "P1", OrderNo: "O1"}, time.Time{}, tracegate.EINVALID},
		{"payment without platform", DocPayment, MatchKey{OrderNo: "O1"}, at, tracegate.EINVALID},
		{"waybill without number", DocWaybill, MatchKey{OrderNo: "O1", LogisticsCode: "L"}, at, tracegate.EINVALID},
		{"other order", DocPayment, MatchKey{EbpCode: "P1", OrderNo: "O2"}, at, tracegate.ECONFLICT},
		{"other platform", DocInventory, MatchKey{EbpCode: "P2", OrderNo: "O1", LogisticsCode: "L", LogisticsNo: "N"}, at, tracegate.ECONFLICT},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := s
			err := s.Record(tc.kind, tc.key, tc.at)
			if !tracegate.IsCode(err, tc.code) {
				t.Errorf("Record(%s, %+v) = %v, want %s", tc.kind, tc.key, err, tc.code)
			}
			if s != before {
				t.Errorf("a failed Record changed the state: %+v", s)
			}
		})
	}
	// The waybill fixes the logistics key; another waybill number conflicts.
	if err := s.Record(DocWaybill, MatchKey{OrderNo: "O1", LogisticsCode: "L", LogisticsNo: "N1"}, at); err != nil {
		t.Fatal(err)
	}
	if err := s.Record(DocInventory, MatchKey{EbpCode: "P1", OrderNo: "O1", LogisticsCode: "L", LogisticsNo: "N2"}, at); !tracegate.IsCode(err, tracegate.ECONFLICT) {
		t.Errorf("inventory with another waybill: %v, want ECONFLICT", err)
	}
}
