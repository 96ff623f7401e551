package demo

import (
	"hash/fnv"
	"strings"
	"time"
)

// shelfLives are the shelf lives the demo gives its products, by the first
// digits of the HS code, as the months printed on such goods: infant formula
// 18 or 24 months, cosmetics 30 or 36, health supplements and honey 24 to
// 36, diapers 36. Each batch gets one of its category's lives.
var shelfLives = []struct {
	hsPrefix string
	months   []int
}{
	{"1901", []int{18, 21, 24}}, // infant formula
	{"3304", []int{30, 36}},     // cosmetics
	{"2106", []int{24, 30, 36}}, // health supplements
	{"0409", []int{24, 36}},     // honey
	{"9619", []int{36}},         // diapers
}

// defaultShelfLife is the life of goods no category above covers.
const defaultShelfLife = 24

// shelfLifeMonths is the shelf life of batch lot of goods with HS code hs:
// one of the category's lives, chosen by the lot so that it is the same for
// every label of the batch and differs between batches.
func shelfLifeMonths(hs, lot string) int {
	for _, s := range shelfLives {
		if strings.HasPrefix(hs, s.hsPrefix) {
			h := fnv.New32a()
			h.Write([]byte(lot))
			return s.months[int(h.Sum32()%uint32(len(s.months)))]
		}
	}
	return defaultShelfLife
}

// expiryOf is the best-before date of batch lot made on made: its shelf
// life later, less a day (the last day it may be sold).
func expiryOf(hs, lot string, made time.Time) time.Time {
	return made.AddDate(0, shelfLifeMonths(hs, lot), -1)
}
