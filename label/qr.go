package label

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"

	"rsc.io/qr/coding"

	"tracegate"
)

// qrLevel is the error correction level of every QR code this package
// draws: Q restores up to about 25% of the symbol, enough for a scuffed or
// partly torn label.
const qrLevel = coding.Q

// quietZone is the light margin around a symbol, in modules (ISO 18004 §6.3.8).
const quietZone = 4

// maxQRPx bounds the size of a PNG so that a request cannot ask for a
// gigapixel image.
const maxQRPx = 4096

// matrix is an encoded QR symbol without its quiet zone.
type matrix struct {
	size int
	dark []bool // row-major, size*size
}

func (m *matrix) at(x, y int) bool { return m.dark[y*m.size+x] }

// encodeQR encodes text at qrLevel in the smallest version and with the mask
// of least penalty (ISO 18004 §7.8.3; rsc.io/qr itself always uses mask 0).
func encodeQR(text string) (*matrix, error) { return new(qrEncoder).encode(text) }

// qrEncoder keeps the symbol plans it has built, which depend only on the
// version and the mask, for the many labels of one sheet.
type qrEncoder struct {
	plans map[[2]int]*coding.Plan
}

func (e *qrEncoder) plan(v coding.Version, mask coding.Mask) (*coding.Plan, error) {
	key := [2]int{int(v), int(mask)}
	if p, ok := e.plans[key]; ok {
		return p, nil
	}
	p, err := coding.NewPlan(v, qrLevel, mask)
	if err != nil {
		return nil, fmt.Errorf("label: qr plan: %w", err)
	}
	if e.plans == nil {
		e.plans = map[[2]int]*coding.Plan{}
	}
	e.plans[key] = p
	return p, nil
}

func (e *qrEncoder) encode(text string) (*matrix, error) {
	if text == "" {
		return nil, tracegate.Invalidf("/url", "nothing to encode")
	}
	var enc coding.Encoding
	switch {
	case coding.Num(text).Check() == nil:
		enc = coding.Num(text)
	case coding.Alpha(text).Check() == nil:
		enc = coding.Alpha(text)
	default:
		enc = coding.String(text)
	}
	v := coding.Version(coding.MinVersion)
	for ; enc.Bits(v) > v.DataBytes(qrLevel)*8; v++ {
		if v == coding.MaxVersion {
			return nil, tracegate.Invalidf("/url", "text of %d bytes is too long for a QR code", len(text))
		}
	}
	var best *matrix
	bestScore := -1
	for mask := range coding.Mask(8) {
		p, err := e.plan(v, mask)
		if err != nil {
			return nil, err
		}
		c, err := p.Encode(enc)
		if err != nil {
			return nil, fmt.Errorf("label: qr encode: %w", err)
		}
		m := &matrix{size: c.Size, dark: make([]bool, c.Size*c.Size)}
		for y := range c.Size {
			for x := range c.Size {
				m.dark[y*c.Size+x] = c.Black(x, y)
			}
		}
		if s := penalty(m); bestScore < 0 || s < bestScore {
			best, bestScore = m, s
		}
	}
	return best, nil
}

// penalty scores m by the four rules of ISO 18004 §7.8.3.1; lower is better.
func penalty(m *matrix) int {
	n := m.size
	cols := make([]bool, n*n) // m transposed, so columns are lines too
	for y := range n {
		for x := range n {
			cols[x*n+y] = m.dark[y*n+x]
		}
	}
	score := 0
	for i := range n {
		score += linePenalty(m.dark[i*n:i*n+n]) + linePenalty(cols[i*n:i*n+n])
	}
	dark := 0
	for y := range n {
		row := m.dark[y*n : y*n+n]
		for x, c := range row {
			if c {
				dark++
			}
			if x+1 < n && y+1 < n { // N2: 2×2 blocks of one colour
				next := m.dark[(y+1)*n:]
				if row[x+1] == c && next[x] == c && next[x+1] == c {
					score += 3
				}
			}
		}
	}
	dev := dark*100/(n*n) - 50 // N4: balance of dark and light
	if dev < 0 {
		dev = -dev
	}
	return score + 10*(dev/5)
}

// linePenalty scores one row or column by rules N1 and N3.
func linePenalty(l []bool) int {
	n, score, run := len(l), 0, 1
	for j := 1; j <= n; j++ {
		if j < n && l[j] == l[j-1] {
			run++
			continue
		}
		if run >= 5 { // N1: 3 for a run of five, 1 more for each module beyond
			score += run - 2
		}
		run = 1
	}
	for j := 0; j+7 <= n; j++ { // N3: 1:1:3:1:1 finder-like pattern with light on one side
		if l[j] && !l[j+1] && l[j+2] && l[j+3] && l[j+4] && !l[j+5] && l[j+6] &&
			(lightRun(l, j-4, j) || lightRun(l, j+7, j+11)) {
			score += 40
		}
	}
	return score
}

// lightRun reports whether modules [from, to) of l are all light; modules
// outside the symbol count as light (the quiet zone).
func lightRun(l []bool, from, to int) bool {
	for j := max(from, 0); j < min(to, len(l)); j++ {
		if l[j] {
			return false
		}
	}
	return true
}

// QRPNG returns a PNG of the QR code of url, sizePx pixels square, with a
// four-module quiet zone and whole pixels per module (the symbol is centred
// when sizePx is not a multiple of its width). It fails with EINVALID when
// url is empty or too long for a QR code, or when sizePx is too small to
// give each module a pixel or above 4096.
func QRPNG(url string, sizePx int) ([]byte, error) {
	m, err := encodeQR(url)
	if err != nil {
		return nil, err
	}
	total := m.size + 2*quietZone
	if sizePx < total || sizePx > maxQRPx {
		return nil, tracegate.Invalidf("/size", "size must be between %d and %d pixels for this code, not %d", total, maxQRPx, sizePx)
	}
	scale := sizePx / total
	off := (sizePx-total*scale)/2 + quietZone*scale
	img := image.NewPaletted(image.Rect(0, 0, sizePx, sizePx), color.Palette{color.White, color.Black})
	for y := range m.size {
		for x := range m.size {
			if !m.at(x, y) {
				continue
			}
			for dy := range scale {
				row := img.Pix[(off+y*scale+dy)*img.Stride+off+x*scale:]
				for dx := range scale {
					row[dx] = 1
				}
			}
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("label: png: %w", err)
	}
	return buf.Bytes(), nil
}

// QRSVG returns an SVG of the QR code of url: one module is one user unit,
// the quiet zone is included, and the dark modules form a single path, so
// the image scales to any print size. It fails with EINVALID when url is
// empty or too long for a QR code.
func QRSVG(url string) ([]byte, error) {
	m, err := encodeQR(url)
	if err != nil {
		return nil, err
	}
	total := strconv.Itoa(m.size + 2*quietZone)
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 ` + total + " " + total +
		`" shape-rendering="crispEdges">` + "\n")
	b.WriteString(`<rect width="100%" height="100%" fill="#fff"/>` + "\n<path fill=\"#000\" d=\"")
	forEachRun(m, func(x, y, w int) {
		fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x+quietZone, y+quietZone, w, w)
	})
	b.WriteString("\"/>\n</svg>\n")
	return b.Bytes(), nil
}

// forEachRun calls fn for each horizontal run of dark modules of m.
func forEachRun(m *matrix, fn func(x, y, w int)) {
	for y := range m.size {
		for x := 0; x < m.size; {
			if !m.at(x, y) {
				x++
				continue
			}
			start := x
			for x < m.size && m.at(x, y) {
				x++
			}
			fn(start, y, x-start)
		}
	}
}
