package ledger

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"tracegate"
)

const testUSCC = "91350100M000100Y43"

const testContentHash = "ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0"

func testLeaf(t testing.TB) *Leaf {
	t.Helper()
	c, err := NewCommitter(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return &Leaf{
		Kind:        KindEPCISEvent,
		ContentHash: testContentHash,
		Time:        time.Date(2026, 11, 23, 18, 55, 18, 123456789, time.FixedZone("CST", 8*3600)),
		USCC:        testUSCC,
		Items:       [][32]byte{c.Commit("(01)09506000134352(21)A1"), c.Commit("(01)09506000134352(21)A2")},
	}
}

func TestLeafEncode(t *testing.T) {
	l := testLeaf(t)
	data, err := l.Encode()
	if err != nil {
		t.Fatal(err)
	}
	want := "tracegate.leaf/v1\nkind epcis-event\nhash " + testContentHash +
		"\ntime 2026-11-23T10:55:18.123Z\nuscc 91350100M000100Y43\n"
	if !strings.HasPrefix(string(data), want) {
		t.Fatalf("Encode() = %q, want prefix %q", data, want)
	}
	if n := strings.Count(string(data), "\nitem "); n != 2 {
		t.Errorf("Encode() has %d item lines, want 2", n)
	}
	back, err := ParseLeaf(data)
	if err != nil {
		t.Fatalf("ParseLeaf(Encode()) = %v", err)
	}
	again, _ := back.Encode()
	if !bytes.Equal(again, data) {
		t.Errorf("re-encoding = %q, want %q", again, data)
	}
	// Item order does not matter.
	l.Items[0], l.Items[1] = l.Items[1], l.Items[0]
	if swapped, _ := l.Encode(); !bytes.Equal(swapped, data) {
		t.Errorf("Encode depends on item order")
	}
}

func TestLeafEncodeErrors(t *testing.T) {
	tests := []struct {
		name    string
		mod     func(*Leaf)
		pointer string
	}{
		{"kind", func(l *Leaf) { l.Kind = "shipment" }, "/kind"},
		{"empty hash", func(l *Leaf) { l.ContentHash = "" }, "/contentHash"},
		{"not ni", func(l *Leaf) { l.ContentHash = "sha256:abc" }, "/contentHash"},
		{"space in hash", func(l *Leaf) { l.ContentHash = "ni:///sha-256;a b" }, "/contentHash"},
		{"newline in hash", func(l *Leaf) { l.ContentHash = "ni:///sha-256;a\nitem x" }, "/contentHash"},
		{"zero time", func(l *Leaf) { l.Time = time.Time{} }, "/time"},
		{"uscc", func(l *Leaf) { l.USCC = "91350100M000100Y44" }, "/uscc"},
		{"duplicate item", func(l *Leaf) { l.Items[1] = l.Items[0] }, "/items"},
		{"too many items", func(l *Leaf) { l.Items = make([][32]byte, MaxItems+1) }, "/items"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := testLeaf(t)
			tt.mod(l)
			_, err := l.Encode()
			var e *tracegate.Error
			if !errorAs(err, &e) || e.Code != tracegate.EINVALID || e.Pointer != tt.pointer {
				t.Errorf("Encode() = %v, want EINVALID at %s", err, tt.pointer)
			}
		})
	}
}

func TestParseLeafRejects(t *testing.T) {
	good, err := testLeaf(t).Encode()
	if err != nil {
		t.Fatal(err)
	}
	g := string(good)
	tests := []struct{ name, data string }{
		{"empty", ""},
		{"no final newline", strings.TrimSuffix(g, "\n")},
		{"version 2", strings.Replace(g, "/v1", "/v2", 1)},
		{"lower-case uscc", strings.Replace(g, "M000100Y43", "m000100y43", 1)},
		{"time without ms", strings.Replace(g, ".123Z", "Z", 1)},
		{"time with offset", strings.Replace(g, ".123Z", ".123+00:00", 1)},
		{"lines swapped", strings.Replace(strings.Replace(g, "kind ", "KIND ", 1), "hash ", "kind ", 1)},
		{"unknown line", g + "note hello\n"},
		{"short item", g + "item AAAA\n"},
		{"unsorted items", func() string {
			lines := strings.Split(strings.TrimSuffix(g, "\n"), "\n")
			lines[5], lines[6] = lines[6], lines[5]
			return strings.Join(lines, "\n") + "\n"
		}()},
		{"crlf", strings.ReplaceAll(g, "\n", "\r\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseLeaf([]byte(tt.data)); !tracegate.IsCode(err, tracegate.EINVALID) {
				t.Errorf("ParseLeaf(%q) = %v, want EINVALID", tt.data, err)
			}
		})
	}
}

func TestCommitter(t *testing.T) {
	if _, err := NewCommitter(make([]byte, MinSecret-1)); err == nil {
		t.Error("NewCommitter(31 bytes) succeeded")
	}
	c1, _ := NewCommitter(bytes.Repeat([]byte{1}, 32))
	c2, _ := NewCommitter(bytes.Repeat([]byte{2}, 32))
	code := "(01)09506000134352(21)A1"
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"deterministic", c1.Commit(code) == c1.Commit(code), true},
		{"depends on the secret", c1.Commit(code) == c2.Commit(code), false},
		{"depends on the code", c1.Commit(code) == c1.Commit(code+"2"), false},
		{"opening opens", ItemCommitment(code, c1.Opening(code)) == c1.Commit(code), true},
		{"opening is per code", ItemCommitment(code+"2", c1.Opening(code)) == c1.Commit(code+"2"), false},
		{"commitment is not the opening", c1.Commit(code) == c1.Opening(code), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

// TestLeafVector pins the example of LEAF-FORMAT.md.
func TestLeafVector(t *testing.T) {
	l := testLeaf(t)
	l.Items = l.Items[:1]
	got, err := l.Encode()
	if err != nil {
		t.Fatal(err)
	}
	want := "tracegate.leaf/v1\n" +
		"kind epcis-event\n" +
		"hash ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0\n" +
		"time 2026-11-23T10:55:18.123Z\n" +
		"uscc 91350100M000100Y43\n" +
		"item XvRlu/78lx+gfVorfiMQrjVqEE/z6t+eUnf1Y6MncdM=\n"
	if string(got) != want {
		t.Errorf("Encode() = %q, want %q", got, want)
	}
}

func errorAs(err error, target any) bool { return errors.As(err, target) }
