package storetest

import (
	"context"
	"testing"
	"time"

	"tracegate"
	"tracegate/gs1"
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
	if err := p1.Validate(gs1.NormalizeGTIN); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	p2 := Product(b.ID, p1.GTIN) // the same GTIN imported by another seller
	p2.Validate(gs1.NormalizeGTIN)
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

	// All or nothing: a batch whose second product takes a's filing number
	// stores neither.
	p3 := Product(b.ID, "4901234567894")
	p4 := Product(b.ID, "4901234567900")
	p4.FilingNumber = "GZ2026-000001"
	for _, p := range []*tracegate.Product{p3, p4} {
		if err := p.Validate(gs1.NormalizeGTIN); err != nil {
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
