package ledger

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/tlog"

	"tracegate"
)

// tileServer serves a log the way cmd/tracegate will: checkpoint, hash tiles
// and entry bundles, through this package's functions.
func tileServer(t *testing.T, l *testLog, cp *Checkpoint) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := strings.TrimPrefix(r.URL.Path, "/")
		if path == "checkpoint" {
			w.Write(cp.Signed)
			return
		}
		tile, err := ParseTilePath(path)
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		var data []byte
		if tile.Entries {
			data, err = ReadEntryBundle(r.Context(), l.m, cp.Size, tile)
		} else {
			data, err = ReadTile(r.Context(), l.m, cp.Size, tile)
		}
		if tracegate.IsCode(err, tracegate.ENOTFOUND) {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// tileClient is an independent client: it computes which nodes a proof
// needs with transparency-dev/merkle, reads their hashes from fetched tiles
// and hashes the subtrees itself with merkle's RFC 6962 hasher.
type tileClient struct {
	t     *testing.T
	base  string
	size  uint64
	tiles map[string][]byte
}

func (c *tileClient) get(path string) ([]byte, int) {
	if data, ok := c.tiles[path]; ok {
		return data, http.StatusOK
	}
	resp, err := http.Get(c.base + "/" + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusOK {
		c.tiles[path] = data
	}
	return data, resp.StatusCode
}

// node returns the hash of the complete node (level, index).
func (c *tileClient) node(id compact.NodeID) []byte {
	tl, sub := id.Level/8, id.Level%8
	first := id.Index << sub // first hash at level 8*tl
	n := first / 256
	avail := (c.size >> (8 * tl)) - n*256
	w := min(avail, 256)
	path := fmt.Sprintf("tile/%d/%03d", tl, n) // indexes here are < 1000
	if w < 256 {
		path += fmt.Sprintf(".p/%d", w)
	}
	data, code := c.get(path)
	if code != http.StatusOK || uint64(len(data)) != w*32 {
		c.t.Fatalf("GET %s: %d, %d bytes", path, code, len(data))
	}
	off := first - n*256
	hs := make([][]byte, 1<<sub)
	for i := range hs {
		hs[i] = data[(off+uint64(i))*32 : (off+uint64(i)+1)*32]
	}
	for len(hs) > 1 {
		next := make([][]byte, len(hs)/2)
		for i := range next {
			next[i] = rfc6962.DefaultHasher.HashChildren(hs[2*i], hs[2*i+1])
		}
		hs = next
	}
	return hs[0]
}

func (c *tileClient) hashes(nodes proof.Nodes) [][]byte {
	var hs [][]byte
	for _, id := range nodes.IDs {
		hs = append(hs, c.node(id))
	}
	out, err := nodes.Rehash(hs, rfc6962.DefaultHasher.HashChildren)
	if err != nil {
		c.t.Fatal(err)
	}
	return out
}

func toBytes(hs []tlog.Hash) [][]byte {
	out := make([][]byte, len(hs))
	for i := range hs {
		out[i] = hs[i][:]
	}
	return out
}

// TestInteropMerkle builds a log of a few thousand leaves with Append, serves
// it as tiles and checks it with github.com/transparency-dev/merkle.
func TestInteropMerkle(t *testing.T) {
	ctx := context.Background()
	const n = 3000
	rng := rand.New(rand.NewPCG(1, 2))
	l := &testLog{m: NewMemoryStore(0)}
	l.signer, l.vkey = testSigner(t, "example.com/log")
	full := newTestLog(t, n).leaves
	for size := 0; size < n; {
		b := min(n-size, 1+rng.IntN(400))
		if _, _, err := l.m.AppendEntries(ctx, full[size:size+b]); err != nil {
			t.Fatal(err)
		}
		size += b
	}
	l.leaves = full
	cp := l.checkpoint(t, n)
	c := &tileClient{t: t, base: tileServer(t, l, cp).URL, size: n, tiles: map[string][]byte{}}

	// The served checkpoint verifies, and the client's root matches it.
	signed, _ := c.get("checkpoint")
	vs, _ := NewVerifiers(l.vkey)
	got, err := ParseCheckpoint(signed, vs)
	if err != nil {
		t.Fatal(err)
	}
	// Every entry bundle's entries hash (merkle's RFC 6962 leaf hash) to the
	// level-0 tile.
	for i := uint64(0); i*256 < n; i++ {
		w := min(n-i*256, 256)
		path := Tile{Index: int64(i), Width: int(w), Entries: true}.Path()
		data, code := c.get(path)
		entries, err := ParseEntryBundle(data)
		if code != 200 || err != nil || uint64(len(entries)) != w {
			t.Fatalf("GET %s: %d, %d entries, %v", path, code, len(entries), err)
		}
		for j, e := range entries {
			want := c.node(compact.NewNodeID(0, i*256+uint64(j)))
			if string(rfc6962.DefaultHasher.HashLeaf(e)) != string(want) {
				t.Fatalf("entry %d does not hash to its tile hash", i*256+uint64(j))
			}
		}
	}
	for _, index := range []uint64{0, 1, 255, 256, 1000, 2047, 2048, 2999} {
		leafHash := rfc6962.DefaultHasher.HashLeaf(full[index])
		nodes, err := proof.Inclusion(index, n)
		if err != nil {
			t.Fatal(err)
		}
		if err := proof.VerifyInclusion(rfc6962.DefaultHasher, index, n, leafHash, c.hashes(nodes), got.Root[:]); err != nil {
			t.Errorf("merkle: inclusion of %d from tiles: %v", index, err)
		}
		ours, err := ProveInclusion(ctx, l.m, n, int64(index))
		if err != nil {
			t.Fatal(err)
		}
		if err := proof.VerifyInclusion(rfc6962.DefaultHasher, index, n, leafHash, toBytes(ours), got.Root[:]); err != nil {
			t.Errorf("merkle: inclusion of %d from ProveInclusion: %v", index, err)
		}
	}
	for _, old := range []uint64{1, 2, 3, 255, 256, 257, 1024, 1500, 2999, 3000} {
		oldRoot, err := TreeRoot(ctx, l.m, int64(old))
		if err != nil {
			t.Fatal(err)
		}
		nodes, err := proof.Consistency(old, n)
		if err != nil {
			t.Fatal(err)
		}
		if err := proof.VerifyConsistency(rfc6962.DefaultHasher, old, n, c.hashes(nodes), oldRoot[:], got.Root[:]); err != nil {
			t.Errorf("merkle: consistency %d -> %d from tiles: %v", old, n, err)
		}
		ours, err := ProveConsistency(ctx, l.m, int64(old), n)
		if err != nil {
			t.Fatal(err)
		}
		if err := proof.VerifyConsistency(rfc6962.DefaultHasher, old, n, toBytes(ours), oldRoot[:], got.Root[:]); err != nil {
			t.Errorf("merkle: consistency %d -> %d from ProveConsistency: %v", old, n, err)
		}
	}
	// Tiles beyond the checkpoint are not served.
	for _, path := range []string{"tile/0/011.p/185", "tile/0/012", "tile/1/000.p/12", "tile/entries/011.p/185", "tile/0/11"} {
		if _, code := c.get(path); code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, code)
		}
	}
	// x/mod's verifying tile reader agrees with the served tiles.
	var rootErr error
	tr := tlog.TileHashReader(tlog.Tree{N: n, Hash: got.Root}, tileReaderFunc(func(tiles []tlog.Tile) ([][]byte, error) {
		var out [][]byte
		for _, tile := range tiles {
			data, code := c.get(Tile{Level: tile.L, Index: tile.N, Width: tile.W}.Path())
			if code != 200 {
				rootErr = errors.New("missing tile")
			}
			out = append(out, data)
		}
		return out, rootErr
	}))
	if h, err := tlog.TreeHash(n, tr); err != nil || h != got.Root {
		t.Errorf("tlog.TileHashReader root = %v, %v, want %v", h, err, got.Root)
	}
}

type tileReaderFunc func([]tlog.Tile) ([][]byte, error)

func (f tileReaderFunc) Height() int                                   { return TileHeight }
func (f tileReaderFunc) ReadTiles(tiles []tlog.Tile) ([][]byte, error) { return f(tiles) }
func (f tileReaderFunc) SaveTiles([]tlog.Tile, [][]byte)               {}
