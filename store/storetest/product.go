package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tracegate"
)

// Product returns a valid product filing of gtin owned by ownerID.
func Product(ownerID int64, gtin string) *tracegate.Product {
	return &tracegate.Product{
		GTIN: gtin, OwnerID: ownerID, Name: "a2 Platinum Premium Infant Formula Stage 1", NameZH: "a2 白金版婴儿配方奶粉 1段",
		Brand: "a2", Specification: "900g/罐", HSCode: "1901101000", OriginCountry: "NZ", Manufacturer: "Synlait Milk Ltd",
	}
}

func testProducts(t *testing.T, open Opener) {
	clock := NewClock()
	s := open(t, clock)
	ctx := context.Background()
	a := &tracegate.Enterprise{USCC: USCC(21), Name: "悦澳跨境", Roles: []tracegate.Role{tracegate.RoleEcommerce}}
	b := &tracegate.Enterprise{USCC: USCC(22), Name: "京品全球购", Roles: []tracegate.Role{tracegate.RoleEcommerce}}
	for _, e := range []*tracegate.Enterprise{a, b} {
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	p1 := Product(a.ID, "9421902960031")
	p1.FilingNumber = "GZ2026-000001"
	if err := p1.Validate(); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	p2 := Product(b.ID, p1.GTIN) // the same GTIN imported by another seller
	p2.Validate()
	n, err := s.SaveProducts(ctx, []*tracegate.Product{p1, p2})
	if err != nil || n != 2 || p1.ID == 0 || p2.ID == 0 {
		t.Fatalf("SaveProducts() = %d, %v; ids %d %d", n, err, p1.ID, p2.ID)
	}
	got, err := s.FindProduct(ctx, a.ID, "09421902960031")
	if err != nil || got.ID != p1.ID || got.OwnerUSCC != a.USCC || got.FilingNumber != "GZ2026-000001" || got.NameZH != p1.NameZH {
		t.Fatalf("FindProduct() = %+v, %v", got, err)
	}

	clock.Advance(time.Hour)
	upd := *p1
	upd.Specification = "800g/罐"
	n, err = s.SaveProducts(ctx, []*tracegate.Product{&upd})
	if err != nil || n != 0 || upd.ID != p1.ID || !upd.CreatedAt.Equal(p1.CreatedAt) {
		t.Fatalf("SaveProducts(update) = %d, %v, %+v; want 0 created and the same id and createdAt", n, err, upd)
	}
	got, _ = s.FindProduct(ctx, a.ID, p1.GTIN)
	if got.Specification != "800g/罐" || !got.UpdatedAt.Equal(clock.T) {
		t.Fatalf("after update: %+v", got)
	}

	list, err := s.ListProducts(ctx, tracegate.ProductFilter{GTIN: p1.GTIN})
	if err != nil || len(list) != 2 {
		t.Fatalf("ListProducts(gtin) = %d, %v; want 2 filings", len(list), err)
	}
	list, _ = s.ListProducts(ctx, tracegate.ProductFilter{OwnerID: b.ID})
	if len(list) != 1 || list[0].OwnerID != b.ID {
		t.Fatalf("ListProducts(owner b) = %v", list)
	}

	// The regulator approves a's filing, confirming the number a proposed.
	reg := &tracegate.Enterprise{USCC: USCC(23), Name: "广州海关", Roles: []tracegate.Role{tracegate.RoleRegulator}}
	if err := s.CreateEnterprise(ctx, reg); err != nil {
		t.Fatal(err)
	}
	if got, err := s.ReviewProduct(ctx, p1.ID, tracegate.ProductReview{Status: tracegate.FilingApproved, By: reg.ID}); err != nil ||
		got.Status != tracegate.FilingApproved || got.FilingNumber != "GZ2026-000001" {
		t.Fatalf("ReviewProduct(approve) = %+v, %v", got, err)
	}

	// All or nothing: a batch whose second product takes a's filing number
	// stores neither.
	p3 := Product(b.ID, "4901234567894")
	p4 := Product(b.ID, "4901234567900")
	p4.FilingNumber = "GZ2026-000001"
	for _, p := range []*tracegate.Product{p3, p4} {
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SaveProducts(ctx, []*tracegate.Product{p3, p4}); tracegate.ErrorCode(err) != tracegate.ECONFLICT {
		t.Fatalf("SaveProducts(duplicate filing number) = %v, want conflict", err)
	} else if e, _ := err.(*tracegate.Error); e.Pointer != "/products/1/filingNumber" {
		t.Fatalf("conflict pointer = %q, want /products/1/filingNumber", e.Pointer)
	}
	if _, err := s.FindProduct(ctx, b.ID, p3.GTIN); tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
		t.Fatalf("after a refused batch, its first product exists: %v", err)
	}
	if _, err := s.SaveProducts(ctx, []*tracegate.Product{Product(999999, p3.GTIN)}); tracegate.ErrorCode(err) != tracegate.EINVALID {
		t.Fatalf("SaveProducts(unknown owner) = %v, want invalid", err)
	}
}

// testFilingReview: a filing's status with the regulator, through saves and
// reviews (issue 19: only approved filings are official).
func testFilingReview(t *testing.T, open Opener) {
	clock := NewClock()
	s := open(t, clock)
	ctx := context.Background()
	a := &tracegate.Enterprise{USCC: USCC(31), Name: "悦澳跨境", Roles: []tracegate.Role{tracegate.RoleEcommerce}}
	b := &tracegate.Enterprise{USCC: USCC(32), Name: "京品全球购", Roles: []tracegate.Role{tracegate.RoleEcommerce}}
	reg := &tracegate.Enterprise{USCC: USCC(33), Name: "广州海关", Roles: []tracegate.Role{tracegate.RoleRegulator}}
	for _, e := range []*tracegate.Enterprise{a, b, reg} {
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	save := func(p *tracegate.Product) *tracegate.Product {
		t.Helper()
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveProducts(ctx, []*tracegate.Product{p}); err != nil {
			t.Fatalf("SaveProducts(%s) = %v", p.GTIN, err)
		}
		return p
	}
	review := func(id int64, r tracegate.ProductReview) (*tracegate.Product, error) {
		t.Helper()
		if err := r.Validate(); err != nil {
			t.Fatalf("%+v.Validate() = %v", r, err)
		}
		return s.ReviewProduct(ctx, id, r)
	}

	p := Product(a.ID, "9421902960031")
	p.FilingNumber = "PROPOSED-1"
	if save(p); p.Status != tracegate.FilingSubmitted {
		t.Fatalf("a new filing is %q, want submitted", p.Status)
	}
	// Two enterprises may propose the same number; neither is official yet.
	q := Product(b.ID, "9421902960048")
	q.FilingNumber = "PROPOSED-1"
	save(q)
	if list, err := s.ListProducts(ctx, tracegate.ProductFilter{Status: tracegate.FilingSubmitted}); err != nil || len(list) != 2 {
		t.Fatalf("ListProducts(submitted) = %d, %v; want 2", len(list), err)
	}

	// Approving assigns the regulator's number.
	clock.Advance(time.Minute)
	got, err := review(p.ID, tracegate.ProductReview{Status: tracegate.FilingApproved, FilingNumber: "GZ2026-000777", By: reg.ID})
	if err != nil || got.Status != tracegate.FilingApproved || got.FilingNumber != "GZ2026-000777" || got.ReviewedBy != reg.ID ||
		got.ReviewedAt == nil || !got.ReviewedAt.Equal(clock.T) {
		t.Fatalf("approve = %+v, %v", got, err)
	}
	// The same number for another filing: refused.
	if _, err := review(q.ID, tracegate.ProductReview{Status: tracegate.FilingApproved, FilingNumber: "GZ2026-000777", By: reg.ID}); tracegate.ErrorCode(err) != tracegate.ECONFLICT {
		t.Fatalf("approving a second filing with the same number = %v, want conflict", err)
	}
	// Out of order: approving twice.
	if _, err := review(p.ID, tracegate.ProductReview{Status: tracegate.FilingApproved, FilingNumber: "X", By: reg.ID}); tracegate.ErrorCode(err) != tracegate.ECONFLICT {
		t.Fatalf("approving an approved filing = %v, want conflict", err)
	}
	// An approval needs a number.
	r := Product(a.ID, "9421902960055")
	save(r)
	if _, err := review(r.ID, tracegate.ProductReview{Status: tracegate.FilingApproved, By: reg.ID}); tracegate.ErrorCode(err) != tracegate.EINVALID {
		t.Fatalf("approving without a number = %v, want invalid", err)
	}
	// A decision on a version the regulator did not read: refused.
	stale := r.UpdatedAt
	clock.Advance(time.Minute)
	r.Specification = "800g/罐"
	save(r)
	if _, err := review(r.ID, tracegate.ProductReview{Status: tracegate.FilingApproved, FilingNumber: "GZ2026-000778", By: reg.ID, Version: stale}); tracegate.ErrorCode(err) != tracegate.ECONFLICT {
		t.Fatalf("approving a stale version = %v, want conflict", err)
	}

	// Saved unchanged, an approval stays, with the regulator's number even
	// when the enterprise sends none or its old proposal.
	same := Product(a.ID, p.GTIN)
	if save(same); same.Status != tracegate.FilingApproved || same.FilingNumber != "GZ2026-000777" {
		t.Fatalf("unchanged resave = %q %q, want approved GZ2026-000777", same.Status, same.FilingNumber)
	}
	// A changed fact sends it back to the regulator.
	changed := Product(a.ID, p.GTIN)
	changed.HSCode = "1901109000"
	if save(changed); changed.Status != tracegate.FilingSubmitted {
		t.Fatalf("changed resave = %q, want submitted", changed.Status)
	}
	if f, _ := s.FindProductByID(ctx, p.ID); f.Status != tracegate.FilingSubmitted || f.HSCode != "1901109000" {
		t.Fatalf("stored after a change: %+v", f)
	}

	// Rejection needs a reason and stays until a fact changes.
	if _, err := review(q.ID, tracegate.ProductReview{Status: tracegate.FilingRejected, Reason: "品名与条码不符", By: reg.ID}); err != nil {
		t.Fatal(err)
	}
	again := Product(b.ID, q.GTIN)
	again.FilingNumber = "PROPOSED-1"
	if save(again); again.Status != tracegate.FilingRejected || again.StatusReason != "品名与条码不符" {
		t.Fatalf("unchanged resave of a rejected filing = %q %q", again.Status, again.StatusReason)
	}
	fixed := Product(b.ID, q.GTIN)
	fixed.NameZH = "a2 白金版婴儿配方奶粉 2段"
	if save(fixed); fixed.Status != tracegate.FilingSubmitted || fixed.StatusReason != "" {
		t.Fatalf("fixed resave = %q %q, want submitted without a reason", fixed.Status, fixed.StatusReason)
	}

	// The owner withdraws; a withdrawn filing cannot be withdrawn again.
	if got, err := review(r.ID, tracegate.ProductReview{Status: tracegate.FilingWithdrawn, By: a.ID}); err != nil || got.Status != tracegate.FilingWithdrawn {
		t.Fatalf("withdraw = %+v, %v", got, err)
	}
	if _, err := review(r.ID, tracegate.ProductReview{Status: tracegate.FilingWithdrawn, By: a.ID}); tracegate.ErrorCode(err) != tracegate.ECONFLICT {
		t.Fatalf("withdrawing twice = %v, want conflict", err)
	}
	if _, err := s.ReviewProduct(ctx, 999999, tracegate.ProductReview{Status: tracegate.FilingWithdrawn, By: a.ID}); tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
		t.Fatalf("review of an unknown filing = %v, want not found", err)
	}
}

// ApproveProducts records a regulator's approval of each filing (with its
// proposed number, or "FN-<id>" when it proposed none), for fixtures that
// need filings customs counts.
func ApproveProducts(t testing.TB, s tracegate.ProductStore, regulatorID int64, ps ...*tracegate.Product) {
	t.Helper()
	for _, p := range ps {
		r := tracegate.ProductReview{Status: tracegate.FilingApproved, By: regulatorID}
		if p.FilingNumber == "" {
			r.FilingNumber = fmt.Sprintf("FN-%d", p.ID)
		}
		got, err := s.ReviewProduct(context.Background(), p.ID, r)
		if err != nil {
			t.Fatalf("approve filing %d: %v", p.ID, err)
		}
		*p = *got
	}
}

// testProductPhoto: a filing's photo is kept by its hash; a new photo is a
// change of a filed fact (an approved filing is submitted again), the same
// photo again is none.
func testProductPhoto(t *testing.T, open Opener) {
	s := open(t, NewClock())
	ctx := context.Background()
	a := &tracegate.Enterprise{USCC: USCC(41), Name: "悦澳跨境", Roles: []tracegate.Role{tracegate.RoleEcommerce}}
	reg := &tracegate.Enterprise{USCC: USCC(42), Name: "广州海关", Roles: []tracegate.Role{tracegate.RoleRegulator}}
	for _, e := range []*tracegate.Enterprise{a, reg} {
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	p := Product(a.ID, "9421902960031")
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveProducts(ctx, []*tracegate.Product{p}); err != nil {
		t.Fatal(err)
	}
	ApproveProducts(t, s, reg.ID, p)
	photo := []byte("\x89PNG\r\n\x1a\n a product photo")
	got, err := s.SetProductPhoto(ctx, p.ID, "image/png", photo)
	if err != nil || len(got.PhotoSHA256) != 64 || got.Status != tracegate.FilingSubmitted {
		t.Fatalf("SetProductPhoto() = %+v, %v; want the photo's hash and the filing submitted again", got, err)
	}
	typ, data, err := s.ProductPhoto(ctx, got.PhotoSHA256)
	if err != nil || typ != "image/png" || string(data) != string(photo) {
		t.Fatalf("ProductPhoto() = %q, %q, %v", typ, data, err)
	}
	ApproveProducts(t, s, reg.ID, got)
	again, err := s.SetProductPhoto(ctx, p.ID, "image/png", photo)
	if err != nil || again.Status != tracegate.FilingApproved {
		t.Fatalf("the same photo again = %+v, %v; want the approval kept", again, err)
	}
	if f, _ := s.FindProduct(ctx, a.ID, p.GTIN); f.PhotoSHA256 != got.PhotoSHA256 {
		t.Fatalf("FindProduct().PhotoSHA256 = %q, want %q", f.PhotoSHA256, got.PhotoSHA256)
	}
	if _, err := s.SetProductPhoto(ctx, 999999, "image/png", photo); tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
		t.Fatalf("SetProductPhoto(unknown filing) = %v, want not found", err)
	}
	if _, _, err := s.ProductPhoto(ctx, "00"); tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
		t.Fatalf("ProductPhoto(unknown) = %v, want not found", err)
	}
}
