package lapak

import (
	"strconv"
)

// Money is an amount in whole rupiah. IDR has no minor unit at Xendit, so Lapak never uses floats for money.
type Money int64

// String formats m the way Indonesian sellers write it: Rp150.000, -Rp5.000.
func (m Money) String() string {
	n := int64(m)
	sign := ""
	if n < 0 {
		sign = "-"
		n = -n
	}
	return sign + "Rp" + groupThousands(strconv.FormatInt(n, 10))
}

// groupThousands puts a dot between every three digits from the right.
func groupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	out := make([]byte, 0, len(digits)+len(digits)/3)
	lead := len(digits) % 3
	if lead == 0 {
		lead = 3
	}
	out = append(out, digits[:lead]...)
	for i := lead; i < len(digits); i += 3 {
		out = append(out, '.')
		out = append(out, digits[i:i+3]...)
	}
	return string(out)
}
