package label

import (
	"context"
	"errors"
	"testing"
	"time"

	"tracegate"
	"tracegate/customs"
	"tracegate/epcis"
)

// fakeScans is a ScanReader over one label, its filing and holds.
type fakeScans struct {
	st    *State
	prod  *tracegate.Product
	holds []Hold
}

func (f *fakeScans) FindLabel(ctx context.Context, hash [32]byte) (*State, error) {
	if f.st == nil || hash != f.st.Hash {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no label")
	}
	return f.st, nil
}
func (f *fakeScans) LabelScans(context.Context, [32]byte, int) ([]Scan, int, error) {
	return nil, 0, nil
}
func (f *fakeScans) Holds(context.Context, string) ([]Hold, error) { return f.holds, nil }
func (f *fakeScans) ListProducts(context.Context, tracegate.ProductFilter) ([]*tracegate.Product, error) {
	return []*tracegate.Product{f.prod}, nil
}
func (f *fakeScans) QueryEvents(context.Context, *epcis.Query) ([]*epcis.Record, string, error) {
	return nil, "", nil
}
func (f *fakeScans) FindEvent(context.Context, string) (*epcis.Record, error) {
	return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no event")
}
func (f *fakeScans) LocationNames(context.Context, []string) (map[string]string, error) {
	return nil, nil
}
func (f *fakeScans) CompanyPrefixOwner(context.Context, string) (int64, error) { return 0, nil }
func (f *fakeScans) FindEnterprise(context.Context, int64) (*tracegate.Enterprise, error) {
	return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise")
}
func (f *fakeScans) CodeOwners(context.Context, []string) (map[string]int64, error) { return nil, nil }

// noReleases has no declaration.
type noReleases struct{}

func (noReleases) OrderRelease(context.Context, string, string) (*customs.Release, error) {
	return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no declaration")
}

// TestResolver: Find answers ErrNotGenuine for a code that does not parse
// or was never issued, and Resolve shows the holds that cover the label's
// batch now, none other.
func TestResolver(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	var code Code
	if err := Generate(1, func(c Code) error { code = c; return nil }); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	until := now.Add(-time.Hour)
	f := &fakeScans{
		st:   &State{Hash: code.Hash(secret), IssuedTo: 1, ProductID: 7, GTIN: "09421902960031", Batch: "B1", IntakeAt: now.Add(-24 * time.Hour), IssuanceLeaf: -1},
		prod: &tracegate.Product{ID: 7, GTIN: "09421902960031", OwnerID: 1},
		holds: []Hold{
			{Kind: NoticeRecall, Batch: "B1", Text: "召回 B1", Since: now.Add(-2 * time.Hour)},
			{Kind: NoticeRiskNotice, Text: "全部批次", Since: now.Add(-2 * time.Hour)},
			{Kind: NoticeStopSale, Batch: "B2", Text: "另一批次", Since: now.Add(-2 * time.Hour)},
			{Kind: NoticeStopSale, Text: "已解除", Since: now.Add(-3 * time.Hour), Until: &until},
			{Kind: NoticeRecall, Text: "尚未生效", Since: now.Add(time.Hour)},
		},
	}
	r := NewResolver(ResolverConfig{Reader: f, Releases: noReleases{}, Hash: func(c Code) [32]byte { return c.Hash(secret) }})
	for _, raw := range []string{"not a code", "0000-0000-0000-0000-0000-0"} {
		if _, _, err := r.Find(context.Background(), raw); !errors.Is(err, ErrNotGenuine) {
			t.Errorf("Find(%q) = %v, want ErrNotGenuine", raw, err)
		}
	}
	c, st, err := r.Find(context.Background(), code.String())
	if err != nil || st != f.st || c != code {
		t.Fatalf("Find(issued code) = %v, %v", st, err)
	}
	in, err := r.Resolve(context.Background(), ScanRequest{Code: c, State: st, Viewer: Anonymous(), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if in.Product != f.prod || in.Intake == nil || in.Intake.Batch != "B1" || in.Proof != nil || in.Dispatch != nil {
		t.Errorf("Resolve = product %v, intake %+v, proof %v, dispatch %v", in.Product, in.Intake, in.Proof, in.Dispatch)
	}
	var texts []string
	for _, n := range in.Notices {
		texts = append(texts, n.Text)
	}
	if len(texts) != 2 || texts[0] != "召回 B1" || texts[1] != "全部批次" {
		t.Errorf("notices = %q, want the B1 recall and the risk notice on every batch", texts)
	}
}
