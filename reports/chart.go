package reports

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/i18n"
)

// The chart's size and colours.
const (
	chartW, chartH = 960, 540
	padLeft        = 90 // room for the sales axis
	padRight       = 60 // room for the orders axis
	padTop         = 78 // the title and the legend
	padBottom      = 56 // the day labels
	ticks          = 5
)

var (
	barColor  = color.RGBA{0x2a, 0x9d, 0x8f, 0xff} // sales
	lineColor = color.RGBA{0xe7, 0x6f, 0x51, 0xff} // paid orders
	gridColor = color.RGBA{0xe6, 0xe6, 0xe6, 0xff}
	axisColor = color.RGBA{0x55, 0x55, 0x55, 0xff}
	textColor = color.RGBA{0x22, 0x22, 0x22, 0xff}
)

// Chart draws the period's series as a PNG: sales as bars against the left axis in rupiah, paid
// orders as a line against the right axis, a day (or, for a single day, an hour) per bar.
func Chart(p Period, series []Bucket, lang lapak.Lang) ([]byte, error) {
	face, err := chartFace(13)
	if err != nil {
		return nil, err
	}
	title, err := chartFace(18)
	if err != nil {
		return nil, err
	}
	c := &canvas{img: image.NewRGBA(image.Rect(0, 0, chartW, chartH)), face: face}
	draw.Draw(c.img, c.img.Bounds(), image.White, image.Point{}, draw.Src)
	plot := plotRect()
	maxSales, maxOrders := seriesMax(series)
	salesTop, ordersTop := niceCeil(int64(maxSales)), niceCeil(int64(maxOrders))
	c.grid(plot, salesTop, ordersTop, lang)
	c.bars(plot, series, salesTop)
	c.line(plot, series, ordersTop)
	c.xLabels(plot, p, len(series), lang)
	c.face = title
	c.text(padLeft, 30, i18n.T(lang, "report.chart.sales")+" · "+p.Label(lang), textColor)
	c.face = face
	c.legend(lang)
	var buf bytes.Buffer
	if err := png.Encode(&buf, c.img); err != nil {
		return nil, fmt.Errorf("encode chart: %w", err)
	}
	return buf.Bytes(), nil
}

// plotRect is where the bars and the line go, inside the axes.
func plotRect() image.Rectangle {
	return image.Rect(padLeft, padTop, chartW-padRight, chartH-padBottom)
}

func chartFace(size float64) (font.Face, error) {
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("chart font: %w", err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, fmt.Errorf("chart font: %w", err)
	}
	return face, nil
}

func seriesMax(series []Bucket) (lapak.Money, int) {
	var s lapak.Money
	var o int
	for _, b := range series {
		s, o = max(s, b.Sales), max(o, b.Paid)
	}
	return s, o
}

// niceCeil is the smallest round number (1, 2 or 5 times a power of ten, times ticks) at least
// n, so each of the axis's ticks is a round number; at least ticks.
func niceCeil(n int64) int64 {
	if n <= ticks {
		return ticks
	}
	step := float64(n) / ticks
	pow := math.Pow(10, math.Floor(math.Log10(step)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*pow >= step {
			return int64(math.Ceil(m*pow)) * ticks
		}
	}
	return n
}

// canvas draws on the chart's image.
type canvas struct {
	img  *image.RGBA
	face font.Face
}

func (c *canvas) fill(r image.Rectangle, col color.Color) {
	draw.Draw(c.img, r, image.NewUniform(col), image.Point{}, draw.Src)
}

func (c *canvas) width(s string) int { return font.MeasureString(c.face, s).Ceil() }

// text draws s with its baseline starting at (x, y).
func (c *canvas) text(x, y int, s string, col color.Color) {
	d := font.Drawer{Dst: c.img, Src: image.NewUniform(col), Face: c.face, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// grid draws the horizontal grid lines with the sales axis's labels on the left and the orders
// axis's on the right.
func (c *canvas) grid(plot image.Rectangle, salesTop, ordersTop int64, lang lapak.Lang) {
	for i := 0; i <= ticks; i++ {
		y := plot.Max.Y - i*plot.Dy()/ticks
		col := gridColor
		if i == 0 {
			col = axisColor
		}
		c.fill(image.Rect(plot.Min.X, y, plot.Max.X, y+1), col)
		sales := compactRupiah(salesTop*int64(i)/ticks, lang)
		c.text(plot.Min.X-8-c.width(sales), y+5, sales, barColor)
		orders := strconv.FormatInt(ordersTop*int64(i)/ticks, 10)
		c.text(plot.Max.X+8, y+5, orders, lineColor)
	}
}

// slot is the x range of bucket i of n.
func slot(plot image.Rectangle, i, n int) (int, int) {
	return plot.Min.X + i*plot.Dx()/n, plot.Min.X + (i+1)*plot.Dx()/n
}

func (c *canvas) bars(plot image.Rectangle, series []Bucket, top int64) {
	for i, b := range series {
		if b.Sales <= 0 {
			continue
		}
		x0, x1 := slot(plot, i, len(series))
		gap := max((x1-x0)/6, 1)
		h := int(int64(b.Sales) * int64(plot.Dy()) / top)
		c.fill(image.Rect(x0+gap, plot.Max.Y-h, x1-gap, plot.Max.Y), barColor)
	}
}

// line joins each bucket's paid orders, drawn at the middle of its bar, with a thick line and a
// dot at each point.
func (c *canvas) line(plot image.Rectangle, series []Bucket, top int64) {
	point := func(i int) (float64, float64) {
		x0, x1 := slot(plot, i, len(series))
		return float64(x0+x1) / 2, float64(plot.Max.Y) - float64(series[i].Paid)*float64(plot.Dy())/float64(top)
	}
	for i := range series {
		x, y := point(i)
		c.dot(x, y, 3.5)
		if i == 0 {
			continue
		}
		px, py := point(i - 1)
		steps := int(math.Hypot(x-px, y-py)*2) + 1
		for s := 0; s <= steps; s++ {
			f := float64(s) / float64(steps)
			c.dot(px+(x-px)*f, py+(y-py)*f, 1.5)
		}
	}
}

// dot fills a disc of radius r at (x, y) in the line's colour.
func (c *canvas) dot(x, y, r float64) {
	for dy := -r; dy <= r; dy++ {
		for dx := -r; dx <= r; dx++ {
			if dx*dx+dy*dy <= r*r {
				c.img.Set(int(math.Round(x+dx)), int(math.Round(y+dy)), lineColor)
			}
		}
	}
}

// xLabels names the buckets under the axis, skipping some so that the labels do not touch.
func (c *canvas) xLabels(plot image.Rectangle, p Period, n int, lang lapak.Lang) {
	if n == 0 {
		return
	}
	widest := c.width(p.shortBucket(0, lang) + "  ")
	every := 1
	for n/every*widest > plot.Dx() {
		every++
	}
	for i := 0; i < n; i += every {
		x0, x1 := slot(plot, i, n)
		s := p.shortBucket(i, lang)
		c.text((x0+x1)/2-c.width(s)/2, plot.Max.Y+20, s, axisColor)
	}
}

func (c *canvas) legend(lang lapak.Lang) {
	x, y := padLeft, 56
	c.fill(image.Rect(x, y-10, x+14, y+2), barColor)
	sales := i18n.T(lang, "report.chart.sales")
	c.text(x+20, y, sales, textColor)
	x += 20 + c.width(sales) + 24
	c.fill(image.Rect(x, y-5, x+22, y-2), lineColor)
	c.dot(float64(x+11), float64(y)-3.5, 3.5)
	c.text(x+28, y, i18n.T(lang, "report.chart.orders"), textColor)
}

// compactRupiah writes an axis amount short: Rp0, Rp500rb, Rp1,5jt, Rp2M (Indonesian), or
// Rp500K, Rp1.5M, Rp2B (English).
func compactRupiah(n int64, lang lapak.Lang) string {
	units := []struct {
		size int64
		key  string
	}{{1_000_000_000, "report.axis.b"}, {1_000_000, "report.axis.m"}, {1_000, "report.axis.k"}}
	for _, u := range units {
		if n >= u.size {
			// n/size as hundredths, which decimal writes with one decimal.
			return "Rp" + i18n.T(lang, u.key, decimal(n*100/u.size, lang))
		}
	}
	return "Rp" + strconv.FormatInt(n, 10)
}
