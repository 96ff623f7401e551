package label

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
)

// pdf is a small streaming PDF 1.4 writer: pages of filled rectangles and
// text in three fonts that need no embedding. It is all labels need, and it
// keeps the package free of a PDF library (the Go fpdf forks are archived).
//
// Fonts: F1 Helvetica and F2 Courier-Bold are standard Type 1 fonts every
// viewer has (WinAnsiEncoding, so ASCII only here); F3 is STSong-Light, one
// of the predefined Adobe CJK fonts of PDF 1.4 (ISO 32000-1 §9.7.5.2), with
// the predefined UniGB-UTF16-H CMap, which viewers render with a Chinese
// font of their own: Chinese text costs no font file.
type pdf struct {
	w       *bufio.Writer
	cw      *countWriter
	offsets []int64 // offsets[n-1] is where object n starts
	kids    []int   // page object numbers
	err     error
	content bytes.Buffer // the page being drawn
	zbuf    bytes.Buffer
	zw      *zlib.Writer
	pageW   float64 // points
	pageH   float64
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

const (
	objCatalog = 1
	objPages   = 2
	ptPerMM    = 72 / 25.4
)

func newPDF(w io.Writer, pageWmm, pageHmm float64) *pdf {
	cw := &countWriter{w: w}
	p := &pdf{cw: cw, w: bufio.NewWriterSize(cw, 64<<10), pageW: pageWmm * ptPerMM, pageH: pageHmm * ptPerMM}
	p.zw, _ = zlib.NewWriterLevel(&p.zbuf, zlib.BestSpeed)
	p.w.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	p.object(objCatalog, "<< /Type /Catalog /Pages 2 0 R >>")
	p.offsets = append(p.offsets, 0) // object 2, the page tree, comes last
	p.object(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	p.object(4, "<< /Type /Font /Subtype /Type1 /BaseFont /Courier-Bold /Encoding /WinAnsiEncoding >>")
	p.object(5, "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UTF16-H /Encoding /UniGB-UTF16-H /DescendantFonts [6 0 R] >>")
	p.object(6, "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "+
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 7 0 R /DW 1000 /W [1 95 500] >>")
	p.object(7, "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "+
		"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>")
	return p
}

// object writes object n (which must be the next number, or 2) with body.
func (p *pdf) object(n int, body string) {
	p.begin(n)
	p.w.WriteString(body)
	p.w.WriteString("\nendobj\n")
}

func (p *pdf) begin(n int) {
	if p.err == nil {
		p.err = p.w.Flush()
	}
	off := p.cw.n
	if n == objPages {
		p.offsets[n-1] = off
	} else {
		p.offsets = append(p.offsets, off)
	}
	fmt.Fprintf(p.w, "%d 0 obj\n", n)
}

// modules paints the dark modules of m, each mod mm square, with the top
// left module at (x, y) mm from the page's top left. A transformation
// matrix makes one module one unit, so each run of dark modules is a
// rectangle with small integer coordinates.
func (p *pdf) modules(x, y, mod float64, m *matrix) {
	b := &p.content
	fmt.Fprintf(b, "q %s 0 0 -%s %s %s cm\n", pt(mod), pt(mod), pt(x), pt(p.pageH/ptPerMM-y))
	var num [20]byte
	forEachRun(m, func(cx, cy, cw int) {
		b.Write(strconv.AppendInt(num[:0], int64(cx), 10))
		b.WriteByte(' ')
		b.Write(strconv.AppendInt(num[:0], int64(cy), 10))
		b.WriteByte(' ')
		b.Write(strconv.AppendInt(num[:0], int64(cw), 10))
		b.WriteString(" 1 re\n")
	})
	b.WriteString("0 g f Q\n")
}

func pt(mm float64) []byte {
	var a [24]byte
	return strconv.AppendFloat(a[:0], mm*ptPerMM, 'f', 3, 64)
}

// font names for text.
const (
	fontSans = "F1"
	fontMono = "F2"
	fontCJK  = "F3"
)

// text writes s with its baseline at (x, y) mm in font at size points. s must
// be ASCII for fontSans and fontMono; fontCJK takes any text of the BMP.
func (p *pdf) text(font string, size, x, y float64, s string) {
	b := &p.content
	fmt.Fprintf(b, "BT /%s %.2f Tf %s %s Td ", font, size, pt(x), pt(p.pageH/ptPerMM-y))
	if font == fontCJK {
		b.WriteByte('<')
		for _, u := range utf16.Encode([]rune(s)) {
			fmt.Fprintf(b, "%04X", u)
		}
		b.WriteString("> Tj ET\n")
		return
	}
	b.WriteByte('(')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '(' || c == ')' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c > 0x7e:
			b.WriteByte('?')
		default:
			b.WriteByte(c)
		}
	}
	b.WriteString(") Tj ET\n")
}

// endPage writes the page drawn since the last endPage.
func (p *pdf) endPage() {
	p.zbuf.Reset()
	p.zw.Reset(&p.zbuf)
	p.zw.Write(p.content.Bytes())
	p.zw.Close()
	p.content.Reset()
	n := len(p.offsets) + 1
	p.begin(n)
	fmt.Fprintf(p.w, "<< /Length %d /Filter /FlateDecode >>\nstream\n", p.zbuf.Len())
	p.w.Write(p.zbuf.Bytes())
	p.w.WriteString("\nendstream\nendobj\n")
	p.object(n+1, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] "+
		"/Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R >> >> /Contents %d 0 R >>", p.pageW, p.pageH, n))
	p.kids = append(p.kids, n+1)
}

// close writes the page tree, the cross-reference table and the trailer.
func (p *pdf) close() error {
	p.begin(objPages)
	p.w.WriteString("<< /Type /Pages /Count ")
	p.w.WriteString(strconv.Itoa(len(p.kids)))
	p.w.WriteString(" /Kids [")
	for i, k := range p.kids {
		if i > 0 {
			p.w.WriteByte(' ')
		}
		p.w.WriteString(strconv.Itoa(k))
		p.w.WriteString(" 0 R")
	}
	p.w.WriteString("] >>\nendobj\n")
	if p.err == nil {
		p.err = p.w.Flush()
	}
	xref := p.cw.n
	fmt.Fprintf(p.w, "xref\n0 %d\n0000000000 65535 f \n", len(p.offsets)+1)
	for _, off := range p.offsets {
		fmt.Fprintf(p.w, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(p.w, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(p.offsets)+1, xref)
	if p.err == nil {
		p.err = p.w.Flush()
	}
	if p.err != nil {
		return fmt.Errorf("label: write pdf: %w", p.err)
	}
	return nil
}
