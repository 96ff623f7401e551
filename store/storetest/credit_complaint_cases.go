package storetest

import (
	"context"
	"testing"

	"tracegate"
	"tracegate/credit"
	"tracegate/label"
)

// testCreditComplaints: a consumer complaint substantiated by a regulator
// is an entry of its owner's record (still once closed); one dismissed,
// only acknowledged, or with no owner is none.
func testCreditComplaints(t *testing.T, open Opener) {
	f := newCreditFixture(t, open)
	ctx := context.Background()
	reg, err := f.s.FindEnterpriseByUSCC(ctx, USCC(7701))
	if err != nil {
		t.Fatal(err)
	}
	file := func(owner int64, steps ...label.ComplaintStatus) *label.Complaint {
		t.Helper()
		c := &label.Complaint{GTIN: "09421902960048", Category: "quality", Text: "罐子漏气", IPPrefix: "203.0.113.0/24", Device: "phone", OwnerID: owner}
		if err := f.s.FileComplaint(ctx, c, 0); err != nil {
			t.Fatalf("FileComplaint() = %v", err)
		}
		for _, to := range steps {
			r := &label.ComplaintReply{EnterpriseID: reg.ID, Role: tracegate.RoleRegulator, Text: "核实 " + string(to), Status: to}
			if to == label.ComplaintAcknowledged {
				r.EnterpriseID, r.Role = owner, tracegate.RoleEcommerce
			}
			if err := f.s.ReplyToComplaint(ctx, c.ID, r, func(from label.ComplaintStatus) error {
				return label.NextComplaintStatus(from, to, r.Role == tracegate.RoleRegulator)
			}); err != nil {
				t.Fatalf("complaint %d → %s: %v", c.ID, to, err)
			}
		}
		return c
	}
	substantiated := []label.ComplaintStatus{label.ComplaintAcknowledged, label.ComplaintSubstantiated}
	closed := file(f.e.ID, append(substantiated, label.ComplaintClosed)...)
	file(f.e.ID, label.ComplaintAcknowledged, label.ComplaintDismissed)
	file(f.e.ID, label.ComplaintAcknowledged)
	file(f.e.ID)
	file(0)
	for range 3 {
		file(f.c.ID, substantiated...)
	}

	// e: recall 10 + rejected filing 3 + copied label 4 + complaint 3 = 20.
	e := f.recompute(t, f.e.USCC, 3)
	var got []credit.Fact
	for _, x := range e.Facts {
		if x.Kind == credit.KindComplaintSubstantiated {
			got = append(got, x)
		}
	}
	if len(got) != 1 || got[0].Ref != "complaint:"+itoa(closed.ID) || !got[0].At.Equal(f.clock.Now()) {
		t.Fatalf("complaint entries of %s = %+v; want only complaint:%d, substantiated now", f.e.USCC, got, closed.ID)
	}
	if e.Score < 19.9 || e.Score > 20 {
		t.Fatalf("score of %s = %.2f, want about 20", f.e.USCC, e.Score)
	}
	// c: 7 from customs and 3 × 3 from complaints = 16: level 3, not 2.
	c := f.recompute(t, f.c.USCC, 3)
	n := 0
	for _, x := range c.Facts {
		if x.Kind == credit.KindComplaintSubstantiated {
			n++
		}
	}
	if n != 3 {
		t.Fatalf("%s has %d complaint entries, want 3", f.c.USCC, n)
	}
}
