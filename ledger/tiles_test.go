package ledger

import (
	"bytes"
	"context"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"tracegate"
)

func TestTilePath(t *testing.T) {
	tests := []struct {
		tile Tile
		path string
	}{
		{Tile{Level: 0, Index: 0, Width: 256}, "tile/0/000"},
		{Tile{Level: 0, Index: 1234067, Width: 256}, "tile/0/x001/x234/067"},
		{Tile{Level: 1, Index: 5, Width: 17}, "tile/1/005.p/17"},
		{Tile{Level: 63, Index: 1000, Width: 1}, "tile/63/x001/000.p/1"},
		{Tile{Index: 272, Width: 112, Entries: true}, "tile/entries/272.p/112"},
		{Tile{Index: 999999, Width: 256, Entries: true}, "tile/entries/x999/999"},
		{Tile{Index: 1<<63 - 1, Width: 256}, "tile/0/x009/x223/x372/x036/x854/x775/807"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if got := tt.tile.Path(); got != tt.path {
				t.Errorf("Path(%+v) = %q, want %q", tt.tile, got, tt.path)
			}
			got, err := ParseTilePath(tt.path)
			if err != nil || got != tt.tile {
				t.Errorf("ParseTilePath(%q) = %+v, %v, want %+v", tt.path, got, err, tt.tile)
			}
		})
	}
}

func TestParseTilePathRejects(t *testing.T) {
	for _, path := range []string{
		"", "tile", "tile/", "/tile/0/000", "tile/0/000/", "tile/0/0", "tile/0/0000", "tile/0/x000/005",
		"tile/0/x1/000", "tile/0/001/002", "tile/0/x001", "tile/00/000", "tile/64/000", "tile/-1/000",
		"tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/017", "tile/0/000.p/", "tile/0/000.p",
		"tile/0/00a", "tile/entries/000.p/x", "tile/entry/000", "tile/8/000/x", "tile/0/x010/x000/x000/x000/x000/x000/x000/000",
		"tile/0/x009/x223/x372/x036/x854/x775/808", "tile/0/+01",
	} {
		t.Run(path, func(t *testing.T) {
			if tile, err := ParseTilePath(path); !tracegate.IsCode(err, tracegate.EINVALID) {
				t.Errorf("ParseTilePath(%q) = %+v, %v, want EINVALID", path, tile, err)
			}
		})
	}
}

func TestReadTileBounds(t *testing.T) {
	ctx := context.Background()
	m := NewMemoryStore(0)
	const size = 70000 // the example of tlog-tiles
	if _, _, err := m.AppendEntries(ctx, testLeaves(0, size)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		ok   bool
	}{
		{"tile/0/000", true},
		{"tile/0/272", true},
		{"tile/0/273", false},
		{"tile/0/273.p/112", true},
		{"tile/0/273.p/111", true}, // an older checkpoint's partial tile
		{"tile/0/273.p/113", false},
		{"tile/0/274.p/1", false},
		{"tile/1/000", true},
		{"tile/1/001", false},
		{"tile/1/001.p/17", true},
		{"tile/1/001.p/18", false},
		{"tile/2/000.p/1", true},
		{"tile/2/000.p/2", false},
		{"tile/3/000.p/1", false},
		{"tile/63/000.p/1", false},
		{"tile/entries/273.p/112", true},
		{"tile/entries/273.p/113", false},
		{"tile/entries/x001/000", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			tile, err := ParseTilePath(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			var data []byte
			if tile.Entries {
				data, err = ReadEntryBundle(ctx, m, size, tile)
			} else {
				data, err = ReadTile(ctx, m, size, tile)
			}
			if !tt.ok {
				if !tracegate.IsCode(err, tracegate.ENOTFOUND) {
					t.Errorf("read %s = %v, want ENOTFOUND", tt.path, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("read %s: %v", tt.path, err)
			}
			if tile.Entries {
				entries, err := ParseEntryBundle(data)
				if err != nil || len(entries) != tile.Width {
					t.Fatalf("ParseEntryBundle = %d entries, %v, want %d", len(entries), err, tile.Width)
				}
				first := tile.Index * TileWidth
				if !bytes.Equal(entries[0], testLeaves(int(first), int(first)+1)[0]) {
					t.Errorf("entry %d = %q", first, entries[0])
				}
				return
			}
			if len(data) != tile.Width*tlog.HashSize {
				t.Fatalf("tile %s is %d bytes, want %d", tt.path, len(data), tile.Width*tlog.HashSize)
			}
		})
	}
	if _, err := ReadTile(ctx, m, size, Tile{Index: 0, Width: 256, Entries: true}); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Errorf("ReadTile(entry bundle) = %v, want EINVALID", err)
	}
	if _, err := ReadEntryBundle(ctx, m, size, Tile{Index: 0, Width: 256}); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Errorf("ReadEntryBundle(hash tile) = %v, want EINVALID", err)
	}
}

func TestNewTiles(t *testing.T) {
	tiles := NewTiles(0, 70000)
	var full0, partial []string
	for _, tile := range tiles {
		if tile.Level == 0 && tile.Width == TileWidth {
			full0 = append(full0, tile.Path())
		} else {
			partial = append(partial, tile.Path())
		}
	}
	want := []string{"tile/0/273.p/112", "tile/1/000", "tile/1/001.p/17", "tile/2/000.p/1"}
	if len(full0) != 273 || len(partial) != len(want) {
		t.Fatalf("NewTiles(0, 70000) = %d full level-0 tiles and %v, want 273 and %v", len(full0), partial, want)
	}
	for i := range want {
		if partial[i] != want[i] {
			t.Errorf("NewTiles(0, 70000) other tiles = %v, want %v", partial, want)
			break
		}
	}
	if NewTiles(5, 5) != nil {
		t.Error("NewTiles(5, 5) is not empty")
	}
}

func TestParseEntryBundleTruncated(t *testing.T) {
	for _, data := range [][]byte{{0}, {0, 5, 'a'}} {
		if _, err := ParseEntryBundle(data); err == nil {
			t.Errorf("ParseEntryBundle(%v) succeeded", data)
		}
	}
}
