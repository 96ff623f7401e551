package storetest

import (
	"context"
	"testing"

	"tracegate"
	"tracegate/label"
)

// ComplaintStore is what the complaints suite exercises.
type ComplaintStore interface {
	Store
	label.ComplaintStore
}

// testComplaints: complaints are filed under a photo quota, listed newest
// first in stable pages (by owner and status too), found by ID or by the
// hash of their reference with their replies, and move through the
// workflow one checked step at a time.
func testComplaints(t *testing.T, open Opener) {
	clock := NewClock()
	s := open(t, clock).(ComplaintStore)
	ctx := context.Background()
	var owners []*tracegate.Enterprise
	for i := range 2 {
		e := &tracegate.Enterprise{USCC: USCC(900 + i), Name: "品牌方", Roles: []tracegate.Role{tracegate.RoleEcommerce}}
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
		owners = append(owners, e)
	}
	ref, err := label.NewComplaintReference()
	if err != nil {
		t.Fatal(err)
	}
	refHash, ok := label.ComplaintRefHash(ref)
	if !ok {
		t.Fatalf("ComplaintRefHash(%q) not ok", ref)
	}
	first := &label.Complaint{GTIN: "09421902960031", Category: "quality", Text: "罐子漏气", Contact: "138", Photo: make([]byte, 100),
		PhotoType: "image/png", IPPrefix: "203.0.113.0/24", Device: "phone", RefHash: refHash, OwnerID: owners[0].ID}
	if err := s.FileComplaint(ctx, first, 150); err != nil || first.ID == 0 || first.Status != label.ComplaintNew {
		t.Fatalf("FileComplaint() = %v, %+v", err, first)
	}
	over := &label.Complaint{Category: "other", Text: "again", Photo: make([]byte, 100), PhotoType: "image/png", IPPrefix: "x", Device: "phone", OwnerID: owners[0].ID}
	if err := s.FileComplaint(ctx, over, 150); tracegate.ErrorCode(err) != tracegate.EQUOTA {
		t.Fatalf("FileComplaint() over the photo quota = %v; want %s", err, tracegate.EQUOTA)
	}
	if n, err := s.ComplaintPhotoBytes(ctx); err != nil || n != 100 {
		t.Fatalf("ComplaintPhotoBytes() = %d, %v; want 100 (the refused photo not counted)", n, err)
	}
	over.Photo, over.PhotoType = nil, ""
	if err := s.FileComplaint(ctx, over, 150); err != nil {
		t.Fatalf("FileComplaint() without a photo at the quota = %v", err)
	}
	for range 5 {
		c := &label.Complaint{Category: "label", Text: "标签", IPPrefix: "x", Device: "phone", OwnerID: owners[1].ID}
		if err := s.FileComplaint(ctx, c, 0); err != nil {
			t.Fatal(err)
		}
	}

	// Pages: newest first, each complaint once.
	seen := map[int64]bool{}
	var after int64
	for page := 0; ; page++ {
		list, err := s.ListComplaints(ctx, label.ComplaintFilter{AfterID: after, Limit: 3})
		if err != nil || page > 3 {
			t.Fatalf("ListComplaints() page %d = %v", page, err)
		}
		if len(list) == 0 {
			break
		}
		for i, c := range list {
			if seen[c.ID] || (i > 0 && c.ID >= list[i-1].ID) || (after != 0 && c.ID >= after) || c.Photo != nil {
				t.Fatalf("page %d = %+v; want new IDs, descending, below %d, without photos", page, list, after)
			}
			seen[c.ID] = true
		}
		after = list[len(list)-1].ID
	}
	if len(seen) != 7 {
		t.Fatalf("pages held %d complaints; want 7", len(seen))
	}
	if list, err := s.ListComplaints(ctx, label.ComplaintFilter{OwnerID: owners[0].ID, Limit: 10}); err != nil || len(list) != 2 || list[1].ID != first.ID ||
		list[1].PhotoSize != 100 || list[1].Contact != "138" {
		t.Fatalf("ListComplaints(owner) = %+v, %v", list, err)
	}

	if b, ct, err := s.ComplaintPhoto(ctx, first.ID); err != nil || len(b) != 100 || ct != "image/png" {
		t.Fatalf("ComplaintPhoto() = %d bytes, %q, %v", len(b), ct, err)
	}
	if _, _, err := s.ComplaintPhoto(ctx, over.ID); tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
		t.Fatalf("ComplaintPhoto(without a photo) = %v; want not found", err)
	}

	// By reference, with the workflow.
	got, err := s.FindComplaintByReference(ctx, refHash)
	if err != nil || got.ID != first.ID || got.Status != label.ComplaintNew || got.OwnerID != owners[0].ID || len(got.Replies) != 0 {
		t.Fatalf("FindComplaintByReference() = %+v, %v", got, err)
	}
	other, _ := label.ComplaintRefHash("TS-0000-0000-0000-0000-0000")
	if _, err := s.FindComplaintByReference(ctx, other); tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
		t.Fatalf("FindComplaintByReference(unknown) = %v", err)
	}
	step := func(to label.ComplaintStatus, regulator bool) error {
		r := &label.ComplaintReply{EnterpriseID: owners[0].ID, Role: tracegate.RoleEcommerce, Text: "已收到 " + string(to), Status: to}
		return s.ReplyToComplaint(ctx, first.ID, r, func(from label.ComplaintStatus) error {
			if to == "" {
				return nil
			}
			return label.NextComplaintStatus(from, to, regulator)
		})
	}
	clock.Advance(1000)
	if err := step(label.ComplaintAcknowledged, false); err != nil {
		t.Fatalf("acknowledge = %v", err)
	}
	if err := step(label.ComplaintClosed, true); tracegate.ErrorCode(err) != tracegate.ECONFLICT {
		t.Fatalf("acknowledged → closed = %v; want a conflict", err)
	}
	if err := step("", false); err != nil {
		t.Fatalf("a reply without a status change = %v", err)
	}
	got, err = s.FindComplaint(ctx, first.ID)
	if err != nil || got.Status != label.ComplaintAcknowledged || len(got.Replies) != 2 || got.Replies[0].Status != label.ComplaintAcknowledged ||
		got.Replies[1].Status != "" || got.Replies[0].Role != tracegate.RoleEcommerce || !got.UpdatedAt.After(got.CreatedAt) {
		t.Fatalf("FindComplaint() after replies = %+v, %v", got, err)
	}
	if list, err := s.ListComplaints(ctx, label.ComplaintFilter{Status: label.ComplaintAcknowledged, Limit: 10}); err != nil || len(list) != 1 || list[0].ID != first.ID {
		t.Fatalf("ListComplaints(acknowledged) = %+v, %v", list, err)
	}
	if err := s.ReplyToComplaint(ctx, 1<<40, &label.ComplaintReply{EnterpriseID: owners[0].ID, Role: tracegate.RoleRegulator, Text: "x"},
		func(label.ComplaintStatus) error { return nil }); tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
		t.Fatalf("ReplyToComplaint(absent) = %v", err)
	}
	if _, err := s.FindComplaint(ctx, 1<<40); tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
		t.Fatalf("FindComplaint(absent) = %v", err)
	}
}
