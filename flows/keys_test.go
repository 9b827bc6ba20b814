package flows

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/i18n"
)

var keyLike = regexp.MustCompile(`^[a-z_]+(\.[a-z_]+)+$`)

// TestEveryMessageKeyExists finds every message key the flows name and checks that the catalog
// has it, so no user ever sees a raw key.
func TestEveryMessageKeyExists(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		parsed, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(parsed, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, _ := strconv.Unquote(lit.Value)
			if keyLike.MatchString(s) && !i18n.Has(s) {
				t.Errorf("%s: message key %q is not in the catalog", fset.Position(lit.Pos()), s)
			}
			return true
		})
	}
	// Keys built at run time.
	for _, f := range editFields {
		for _, prefix := range []string{"product.edit.", "product.edit_ask."} {
			if !i18n.Has(prefix + f) {
				t.Errorf("missing %s%s", prefix, f)
			}
		}
	}
	for _, st := range []lapak.OrderStatus{lapak.OrderPending, lapak.OrderPaid, lapak.OrderShipped, lapak.OrderCompleted, lapak.OrderCancelled, lapak.OrderExpired} {
		if !i18n.Has("order.status." + string(st)) {
			t.Errorf("missing order.status.%s", st)
		}
	}
	for _, k := range []string{"onboard.status.approved", "onboard.status.rejected", "menu.title.owner", "menu.title.reseller", "menu.title.guest", "menu.title.customer", "menu.title.pending"} {
		if !i18n.Has(k) {
			t.Errorf("missing %s", k)
		}
	}
}
