package ledger

import (
	"context"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"tracegate"
)

// Tile geometry of c2sp.org/tlog-tiles: tiles of height 8, 256 hashes wide.
const (
	TileHeight = 8
	TileWidth  = 1 << TileHeight
)

// maxEntry is the largest entry an entry bundle can carry (uint16 length).
const maxEntry = 1<<16 - 1

// Tile names one tlog-tiles resource: the hash tile at Level and Index, or
// the entry bundle at Index when Entries is set (Level is then 0). Width is
// the number of hashes or entries, TileWidth for a full tile and 1..255 for a
// partial one.
type Tile struct {
	Level   int
	Index   int64
	Width   int
	Entries bool
}

// Path returns the resource path of t relative to the log's prefix:
// "tile/<L>/<N>[.p/<W>]" or "tile/entries/<N>[.p/<W>]", with N in 3-digit
// groups, all but the last prefixed by "x" (1234067 is "x001/x234/067").
func (t Tile) Path() string {
	var b strings.Builder
	b.WriteString("tile/")
	if t.Entries {
		b.WriteString("entries/")
	} else {
		b.WriteString(strconv.Itoa(t.Level))
		b.WriteByte('/')
	}
	n := strconv.FormatInt(t.Index, 10)
	for len(n)%3 != 0 {
		n = "0" + n
	}
	for i := 0; i < len(n); i += 3 {
		if i+3 < len(n) {
			b.WriteString("x" + n[i:i+3] + "/")
		} else {
			b.WriteString(n[i:])
		}
	}
	if t.Width < TileWidth {
		b.WriteString(".p/" + strconv.Itoa(t.Width))
	}
	return b.String()
}

// ParseTilePath parses a path made by Tile.Path. It accepts only the
// canonical form: no leading zero groups ("x000/005"), no leading zeros in L
// or W, L from 0 to 63, W from 1 to 255. It fails with EINVALID otherwise.
func ParseTilePath(path string) (Tile, error) {
	bad := func(why string) (Tile, error) {
		return Tile{}, tracegate.Invalidf("", "ledger: tile path %.80q: %s", path, why)
	}
	rest, ok := strings.CutPrefix(path, "tile/")
	if !ok {
		return bad(`want "tile/..."`)
	}
	var t Tile
	first, rest, ok := strings.Cut(rest, "/")
	if !ok {
		return bad("no index")
	}
	if first == "entries" {
		t.Entries = true
	} else {
		l, ok := smallDecimal(first, 0, 63)
		if !ok {
			return bad("level is not a decimal from 0 to 63")
		}
		t.Level = l
	}
	t.Width = TileWidth
	if nPart, wPart, ok := strings.Cut(rest, ".p/"); ok {
		w, ok := smallDecimal(wPart, 1, TileWidth-1)
		if !ok {
			return bad("partial width is not a decimal from 1 to 255")
		}
		rest, t.Width = nPart, w
	}
	groups := strings.Split(rest, "/")
	if len(groups) > 7 {
		return bad("index too large")
	}
	var digits strings.Builder
	for i, g := range groups {
		if i < len(groups)-1 {
			var ok bool
			if g, ok = strings.CutPrefix(g, "x"); !ok {
				return bad(`index group without "x"`)
			}
			if i == 0 && g == "000" {
				return bad("index has a leading zero group")
			}
		}
		if len(g) != 3 || strings.Trim(g, "0123456789") != "" {
			return bad("index group is not 3 digits")
		}
		digits.WriteString(g)
	}
	n, err := strconv.ParseInt(digits.String(), 10, 64)
	if err != nil {
		return bad("index too large")
	}
	t.Index = n
	return t, nil
}

// smallDecimal parses s as a decimal in [lo, hi] without leading zeros.
func smallDecimal(s string, lo, hi int) (int, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi || strconv.Itoa(n) != s {
		return 0, false
	}
	return n, true
}

// checkTile reports whether t exists in the tree of treeSize leaves: the
// hashes it lists are all complete at that size.
func checkTile(t Tile, treeSize int64) error {
	if t.Width < 1 || t.Width > TileWidth || t.Index < 0 || t.Level < 0 || t.Level > 63 || (t.Entries && t.Level != 0) {
		return tracegate.Invalidf("", "ledger: invalid tile %+v", t)
	}
	var count int64 // hashes complete at the tile's level
	if shift := TileHeight * t.Level; shift < 63 {
		count = treeSize >> uint(shift)
	}
	if t.Index > count/TileWidth || t.Index*TileWidth+int64(t.Width) > count {
		return tracegate.Errorf(tracegate.ENOTFOUND, "ledger: tile %s is beyond tree size %d", t.Path(), treeSize)
	}
	return nil
}

// ReadTile returns the bytes of the hash tile t of the tree of treeSize
// leaves (the size of a published checkpoint): Width hashes of 32 bytes. It
// fails with EINVALID for an entry bundle or a malformed tile, with
// ENOTFOUND when the tile is not complete at treeSize (including a partial
// tile wider than the tree allows), and with r's error when reading fails.
func ReadTile(ctx context.Context, r HashReader, treeSize int64, t Tile) ([]byte, error) {
	if t.Entries {
		return nil, tracegate.Invalidf("", "ledger: %s is an entry bundle, not a hash tile", t.Path())
	}
	if err := checkTile(t, treeSize); err != nil {
		return nil, err
	}
	data, err := tlog.ReadTileData(tlog.Tile{H: TileHeight, L: t.Level, N: t.Index, W: t.Width}, tlogReader(ctx, r))
	if err != nil {
		return nil, fmt.Errorf("ledger: read tile %s: %w", t.Path(), err)
	}
	return data, nil
}

// ReadEntryBundle returns the entry bundle t of the tree of treeSize leaves:
// its Width entries, each as a big-endian uint16 length and the bytes. It
// fails as ReadTile does, and with EINTERNAL when an entry is longer than
// 65535 bytes.
func ReadEntryBundle(ctx context.Context, r EntryReader, treeSize int64, t Tile) ([]byte, error) {
	if !t.Entries {
		return nil, tracegate.Invalidf("", "ledger: %s is a hash tile, not an entry bundle", t.Path())
	}
	if err := checkTile(t, treeSize); err != nil {
		return nil, err
	}
	start := t.Index * TileWidth
	entries, err := r.ReadEntries(ctx, start, start+int64(t.Width))
	if err != nil {
		return nil, fmt.Errorf("ledger: read entries of %s: %w", t.Path(), err)
	}
	if len(entries) != t.Width {
		return nil, fmt.Errorf("ledger: read %d entries for %s, want %d", len(entries), t.Path(), t.Width)
	}
	size := 0
	for _, e := range entries {
		size += 2 + len(e)
	}
	out := make([]byte, 0, size)
	for i, e := range entries {
		if len(e) > maxEntry {
			return nil, tracegate.Errorf(tracegate.EINTERNAL, "ledger: entry %d is %d bytes, more than a bundle carries", start+int64(i), len(e))
		}
		out = binary.BigEndian.AppendUint16(out, uint16(len(e)))
		out = append(out, e...)
	}
	return out, nil
}

// ParseEntryBundle splits an entry bundle into its entries. It fails with
// EINVALID when the data is truncated.
func ParseEntryBundle(data []byte) ([][]byte, error) {
	var entries [][]byte
	for len(data) > 0 {
		if len(data) < 2 {
			return nil, tracegate.Invalidf("", "ledger: entry bundle truncated")
		}
		n := int(binary.BigEndian.Uint16(data))
		if len(data) < 2+n {
			return nil, tracegate.Invalidf("", "ledger: entry bundle truncated")
		}
		entries = append(entries, data[2:2+n])
		data = data[2+n:]
	}
	return entries, nil
}

// NewTiles returns the hash tiles (Entries false) that a tree growing from
// oldSize to newSize leaves completes or changes, the ones a static mirror
// or cache must (re)publish; for each, the entry bundle of a level-0 tile has
// the same Index and Width. It returns nil when newSize <= oldSize.
func NewTiles(oldSize, newSize int64) []Tile {
	if newSize <= oldSize || oldSize < 0 {
		return nil
	}
	var out []Tile
	for _, t := range tlog.NewTiles(TileHeight, oldSize, newSize) {
		out = append(out, Tile{Level: t.L, Index: t.N, Width: t.W})
	}
	return out
}
