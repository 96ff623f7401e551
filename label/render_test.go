package label

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"image/png"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"rsc.io/qr/coding"

	"tracegate"
)

const testBase = "https://trace.example.cn"

// decodeQR reads the QR code in a PNG with gozxing, an independent decoder.
func decodeQR(t *testing.T, pngBytes []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(pngBytes))
	if err != nil {
		t.Fatalf("png.Decode: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatalf("NewBinaryBitmapFromImage: %v", err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decode QR: %v", err)
	}
	return res.GetText()
}

func testCodes(t *testing.T, n int) []Code {
	t.Helper()
	var cs []Code
	if err := Generate(n, func(c Code) error { cs = append(cs, c); return nil }); err != nil {
		t.Fatalf("Generate(%d): %v", n, err)
	}
	return cs
}

func TestQRPNGDecodes(t *testing.T) {
	c := fixedCode(t)
	for _, tc := range []struct {
		name string
		url  string
		size int
	}{
		{"label URL", URL(testBase, c), 300},
		{"odd size centres", URL(testBase+"/", c), 257},
		{"long path prefix", URL("https://trace.example.cn/guangzhou/airport", c), 512},
		{"alphanumeric mode", "HTTPS://T.CN/L/" + c.Compact(), 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := QRPNG(tc.url, tc.size)
			if err != nil {
				t.Fatalf("QRPNG(%q, %d): %v", tc.url, tc.size, err)
			}
			img, _ := png.Decode(bytes.NewReader(b))
			if sz := img.Bounds().Size(); sz.X != tc.size || sz.Y != tc.size {
				t.Errorf("image is %v, want %d square", sz, tc.size)
			}
			if got := decodeQR(t, b); got != tc.url {
				t.Errorf("decoded %q, want %q", got, tc.url)
			}
		})
	}
}

func TestQRErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		url  string
		size int
	}{
		{"empty", "", 300},
		{"too small", testBase + "/l/X", 20},
		{"too large", testBase + "/l/X", 5000},
		{"too long", testBase + "/" + strings.Repeat("x", 3000), 300},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := QRPNG(tc.url, tc.size); !tracegate.IsCode(err, tracegate.EINVALID) {
				t.Errorf("QRPNG(%.20q, %d) error = %v, want EINVALID", tc.url, tc.size, err)
			}
		})
	}
}

func TestQRSVG(t *testing.T) {
	url := URL(testBase, fixedCode(t))
	b, err := QRSVG(url)
	if err != nil {
		t.Fatalf("QRSVG: %v", err)
	}
	var doc struct {
		ViewBox string `xml:"viewBox,attr"`
		Path    struct {
			D string `xml:"d,attr"`
		} `xml:"path"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("SVG is not well-formed XML: %v", err)
	}
	m, _ := encodeQR(url)
	want := "0 0 " + strconv.Itoa(m.size+8) + " " + strconv.Itoa(m.size+8)
	if doc.ViewBox != want {
		t.Errorf("viewBox = %q, want %q (symbol and quiet zone)", doc.ViewBox, want)
	}
	// The path's runs cover exactly the dark modules.
	dark := 0
	for _, d := range m.dark {
		if d {
			dark++
		}
	}
	covered := 0
	for _, h := range regexp.MustCompile(`h(\d+)v`).FindAllStringSubmatch(doc.Path.D, -1) {
		n, _ := strconv.Atoi(h[1])
		covered += n
	}
	if covered != dark {
		t.Errorf("path covers %d modules, symbol has %d dark ones", covered, dark)
	}
}

func TestWriteCSV(t *testing.T) {
	cs := testCodes(t, 3)
	var b bytes.Buffer
	if err := WriteCSV(&b, slices.Values(cs), testBase+"/"); err != nil {
		t.Fatalf("WriteCSV: %v", err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	if len(rows) != 4 || rows[0][0] != "code" || rows[0][1] != "url" {
		t.Fatalf("rows = %q, want a header and 3 rows", rows)
	}
	for i, c := range cs {
		if rows[i+1][0] != c.String() || rows[i+1][1] != testBase+"/l/"+c.Compact() {
			t.Errorf("row %d = %q, want %s and its URL", i+1, rows[i+1], c)
		}
	}
	for _, base := range []string{"http://trace.example.cn", "http://10.0.0.1:8080", "http://127.0.0.1.example.cn", "https://", "https://a.cn/?x=1", "https://a.cn/a,b"} {
		t.Run(base, func(t *testing.T) {
			if err := WriteCSV(&b, slices.Values(cs), base); !tracegate.IsCode(err, tracegate.EINVALID) {
				t.Errorf("WriteCSV(base %q) error = %v, want EINVALID", base, err)
			}
		})
	}
}

func TestWriteSheetPDF(t *testing.T) {
	cs := testCodes(t, 25)
	for _, tc := range []struct {
		name    string
		layout  Layout
		n       int
		caption string
		pages   int
	}{
		{"A4 one full page and one label", A4Layout(), 25, "", 2},
		{"A4 exactly one page", A4Layout(), 24, "Swisse 维生素C 片", 1},
		{"A4 empty gives a blank page", A4Layout(), 0, "", 1},
		{"roll one label a page", RollLayout(), 3, "a2 Platinum 白金版婴儿配方奶粉 900g", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			err := WriteSheetPDF(&b, tc.layout, LabelsFor(testBase, tc.caption, slices.Values(cs[:tc.n])))
			if err != nil {
				t.Fatalf("WriteSheetPDF: %v", err)
			}
			checkPDF(t, b.Bytes(), tc.pages)
		})
	}
	t.Run("bad layout", func(t *testing.T) {
		l := A4Layout()
		l.Cols = 4
		if err := WriteSheetPDF(&bytes.Buffer{}, l, nil); !tracegate.IsCode(err, tracegate.EINVALID) {
			t.Errorf("WriteSheetPDF(4 columns of 64 mm on A4) error = %v, want EINVALID", err)
		}
	})
	t.Run("write error", func(t *testing.T) {
		err := WriteSheetPDF(failWriter{}, RollLayout(), LabelsFor(testBase, "", slices.Values(cs)))
		if !errors.Is(err, errWrite) {
			t.Errorf("WriteSheetPDF to a failing writer = %v, want %v", err, errWrite)
		}
	})
}

var errWrite = errors.New("disk full")

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }

// checkPDF checks the file's structure: header and trailer, every xref entry
// pointing at its object, and the page count in the page tree.
func checkPDF(t *testing.T, b []byte, pages int) {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(b, []byte("%%EOF\n")) {
		t.Fatalf("no PDF header or trailer")
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(b[xref:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %d does not point at the xref table", xref)
	}
	lines := strings.Split(string(b[xref:]), "\n")
	n, _ := strconv.Atoi(strings.Fields(lines[1])[1])
	for obj := 1; obj < n; obj++ {
		off, _ := strconv.Atoi(lines[2+obj][:10])
		if want := strconv.Itoa(obj) + " 0 obj\n"; !bytes.HasPrefix(b[off:], []byte(want)) {
			t.Fatalf("xref entry %d points at %q", obj, b[off:off+10])
		}
	}
	if got := bytes.Count(b, []byte("/Type /Page /")); got != pages {
		t.Errorf("%d page objects, want %d", got, pages)
	}
	if !bytes.Contains(b, []byte("/Type /Pages /Count "+strconv.Itoa(pages)+" ")) {
		t.Errorf("page tree does not count %d pages", pages)
	}
}

// TestMaskChoice checks that encodeQR keeps the mask of least penalty, and
// that the penalty rules do tell the masks apart.
func TestMaskChoice(t *testing.T) {
	for _, c := range testCodes(t, 5) {
		url := URL(testBase, c)
		got, err := encodeQR(url)
		if err != nil {
			t.Fatal(err)
		}
		scores := map[int]bool{}
		for mask := range coding.Mask(8) {
			p, _ := coding.NewPlan(coding.Version(got.size-17)/4, qrLevel, mask)
			code, err := p.Encode(coding.String(url))
			if err != nil {
				t.Fatal(err)
			}
			m := &matrix{size: code.Size, dark: make([]bool, code.Size*code.Size)}
			for y := range code.Size {
				for x := range code.Size {
					m.dark[y*code.Size+x] = code.Black(x, y)
				}
			}
			s := penalty(m)
			scores[s] = true
			if s < penalty(got) {
				t.Errorf("%s: mask %d scores %d, below the chosen %d", url, mask, s, penalty(got))
			}
		}
		if len(scores) < 2 {
			t.Errorf("%s: all eight masks score alike", url)
		}
	}
}

// TestCheckBaseURLLoopback: plain http is accepted for a loopback origin
// (the demo's labels point at the demo), and nowhere else.
func TestCheckBaseURLLoopback(t *testing.T) {
	for _, tc := range []struct {
		base string
		ok   bool
	}{
		{"https://trace.example.cn", true},
		{"http://127.0.0.1:8080", true},
		{"http://localhost:18080", true},
		{"http://[::1]:8080", true},
		{"http://127.0.0.1", true},
		{"http://trace.example.cn", false},
		{"http://192.168.1.10:8080", false},
		{"http://localhost.example.cn", false},
		{"http://127.0.0.1:8080/?x=1", false},
	} {
		if err := CheckBaseURL(tc.base); (err == nil) != tc.ok {
			t.Errorf("CheckBaseURL(%q) = %v, want ok %v", tc.base, err, tc.ok)
		}
	}
}
