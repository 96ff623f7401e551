package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"

	"tracegate"
	"tracegate/ledger"
)

// fixtureLedger is a test log: keys, committer and publisher.
type fixtureLedger struct {
	web    *Ledger
	signer *ledger.Signer
	vkey   string
}

func testLedger(t *testing.T) *fixtureLedger {
	t.Helper()
	skey, vkey, err := ledger.GenerateKey("tracegate.test/log")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ledger.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	v, err := ledger.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ledger.NewCommitter(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return &fixtureLedger{web: &Ledger{Committer: c, VKey: vkey, Verifiers: note.VerifierList(v)}, signer: signer, vkey: vkey}
}

// publish signs and stores a checkpoint of the current tree.
func (f *fixture) publish(t *testing.T) int64 {
	t.Helper()
	p := &ledger.Publisher{Store: f.store, Signer: f.ledger.signer, Verifiers: f.ledger.web.Verifiers}
	size, err := p.PublishOnce(context.Background())
	if err != nil {
		t.Fatalf("PublishOnce() = %v", err)
	}
	return size
}

func TestLedgerServedAndVerifiedIndependently(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		wh := f.keys[tracegate.RoleWarehouse]
		if w := f.do("GET", "/log/checkpoint", "", "", ""); w.Code != 404 {
			t.Fatalf("checkpoint before any = %d", w.Code)
		}
		// Three captures of 100 events: 300 leaves, tiles of 256 + a partial one.
		for batch := range 3 {
			var evs []string
			for i := range 100 {
				evs = append(evs, shipEvent(fmt.Sprintf("B%dN%d", batch, i)))
			}
			if w := f.do("POST", "/epcis/capture", wh, "application/ld+json", epcisDocHead+strings.Join(evs, ",")+`]}}`); w.Code != 202 {
				t.Fatalf("capture = %d %s", w.Code, w.Body)
			}
		}
		if size := f.publish(t); size != 300 {
			t.Fatalf("published size %d, want 300", size)
		}
		w := f.do("GET", "/log/checkpoint", "", "", "")
		if w.Code != 200 || !strings.HasPrefix(w.Body.String(), "tracegate.test/log\n300\n") {
			t.Fatalf("checkpoint = %d %q", w.Code, w.Body)
		}
		cp, err := ledger.ParseCheckpoint(w.Body.Bytes(), f.ledger.web.Verifiers)
		if err != nil {
			t.Fatal(err)
		}

		// Independent client: the root from the served entry bundles with
		// transparency-dev/merkle's compact ranges.
		rf := compact.RangeFactory{Hash: rfc6962.DefaultHasher.HashChildren}
		cr := rf.NewEmptyRange(0)
		var leafHashes [][]byte
		for _, path := range []string{"/log/tile/entries/000", "/log/tile/entries/001.p/44"} {
			w := f.do("GET", path, "", "", "")
			if w.Code != 200 || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
				t.Fatalf("GET %s = %d %v", path, w.Code, w.Header())
			}
			entries, err := ledger.ParseEntryBundle(w.Body.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				h := rfc6962.DefaultHasher.HashLeaf(e)
				leafHashes = append(leafHashes, h)
				if err := cr.Append(h, nil); err != nil {
					t.Fatal(err)
				}
			}
		}
		root, err := cr.GetRootHash(nil)
		if err != nil || !bytes.Equal(root, cp.Root[:]) || len(leafHashes) != 300 {
			t.Fatalf("independent root over %d served leaves = %x, %v; checkpoint root %x", len(leafHashes), root, err, cp.Root[:])
		}
		// Hash tiles serve the level-0 hashes the entries hash to.
		w = f.do("GET", "/log/tile/0/000", "", "", "")
		if w.Code != 200 || len(w.Body.Bytes()) != 256*32 || !bytes.Equal(w.Body.Bytes()[32*5:32*6], leafHashes[5]) {
			t.Fatalf("tile 0/000 = %d, %d bytes", w.Code, len(w.Body.Bytes()))
		}
		for _, bad := range []string{"/log/tile/0/002", "/log/tile/0/001.p/45", "/log/tile/0/x000/001", "/log/tile/99/000"} {
			if w := f.do("GET", bad, "", "", ""); w.Code != 404 && w.Code != 400 {
				t.Errorf("GET %s = %d, want 400 or 404", bad, w.Code)
			}
		}

		// An event's proof, checked with merkle's verifier and with ours.
		w = f.do("GET", "/epcis/events?perPage=1&MATCH_epc="+url.QueryEscape("urn:epc:id:sgtin:9506000.013435.B1N7"), wh, "", "")
		var qd struct {
			EpcisBody struct {
				QueryResults struct {
					ResultsBody struct{ EventList []map[string]any }
				}
			}
		}
		json.Unmarshal(w.Body.Bytes(), &qd)
		id := qd.EpcisBody.QueryResults.ResultsBody.EventList[0]["eventID"].(string)
		req := "/log/proof/event/" + url.PathEscape(id)
		w = f.do("GET", req, "", "", "")
		if w.Code != 200 {
			t.Fatalf("GET %s = %d %s", req, w.Code, w.Body)
		}
		v, err := ledger.VerifyInclusion(w.Body.Bytes(), f.ledger.vkey)
		if err != nil {
			t.Fatalf("VerifyInclusion() = %v\n%s", err, w.Body)
		}
		if !strings.Contains(v.Summary(), "epcis-event") {
			t.Fatalf("summary %q", v.Summary())
		}
		p, err := ledger.ParseInclusionProof(w.Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		hashes := make([][]byte, len(p.Hashes))
		for i := range p.Hashes {
			hashes[i] = p.Hashes[i][:]
		}
		leafHash := rfc6962.DefaultHasher.HashLeaf(p.Extra)
		if err := proof.VerifyInclusion(rfc6962.DefaultHasher, uint64(p.Index), 300, leafHash, hashes, cp.Root[:]); err != nil {
			t.Fatalf("merkle proof.VerifyInclusion() = %v", err)
		}
		if p.Index != 107 {
			t.Fatalf("event B1N7 at leaf %d, want 107", p.Index)
		}
		// The leaf commits to the item without naming it.
		if bytes.Contains(p.Extra, []byte("B1N7")) {
			t.Fatalf("leaf holds the raw serial: %s", p.Extra)
		}
		open := f.ledger.web.Committer.Opening("https://id.gs1.org/01/09506000134352/21/B1N7")
		if !v.HasItem("https://id.gs1.org/01/09506000134352/21/B1N7", open) {
			t.Fatal("the leaf does not commit to its item")
		}
	})
}
